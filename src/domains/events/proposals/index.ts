/** The proposals room: members propose events, the team approves or declines them. */
export { proposalsRoutes } from './proposals.routes.js';
export { proposeEvent, approveProposal, declineProposal, listProposals } from './proposals.service.js';
export { canProposeEvents } from './proposals.policy.js';
export * as proposalsI18n from './proposals.i18n.js';
