/** The joining room: applications at /adherer and the team's decisions on them. The others use only this file. */
export { joiningRoutes } from './joining.routes.js';
export { admitImportedMember, admitImportedMembers, applyForMembership, approveApplication, declineApplication, getApplicationForm, strikeOffMember } from './joining.service.js';
export type { ImportedMemberInput } from './joining.service.js';
export { ApplicationForm, OUTSIDE, type ApplicationInput } from './joining.schemas.js';
// For the demo loader.
export { insertMember, setDecision } from './joining.repo.js';
export * as joiningI18n from './joining.i18n.js';
