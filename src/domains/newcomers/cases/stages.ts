/**
 * The case's stage machine, written once: which named transition leads from which stages to which one. Services
 * move a case only through these; anything else is a conflict. Pure, so the board, the case page and the service
 * agree on what is allowed.
 */
import type { CaseStage } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';

export const STAGES: readonly CaseStage[] = ['nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installation', 'installe', 'suivi', 'en_pause', 'abandon'];

/** Stages where the household is still on its way: it can be paused or dropped from here. */
export const ACTIVE_STAGES: readonly CaseStage[] = ['nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installation'];

export const TRANSITIONS = {
  qualify: { from: ['nouveau'], to: 'qualifie' },
  accompany: { from: ['qualifie'], to: 'accompagne' },
  discovery: { from: ['accompagne'], to: 'sejour_decouverte' },
  // Not every household needs a discovery stay before moving.
  moving: { from: ['accompagne', 'sejour_decouverte'], to: 'installation' },
  settle: { from: ['installation'], to: 'installe' },
  follow_up: { from: ['installe'], to: 'suivi' },
  pause: { from: ACTIVE_STAGES, to: 'en_pause' },
  // Back to the stage it was paused from (kept on the case).
  resume: { from: ['en_pause'], to: null },
  drop: { from: [...ACTIVE_STAGES, 'en_pause'], to: 'abandon' },
  // A dropped household that comes back starts again from the beginning, with its history kept.
  reopen: { from: ['abandon'], to: 'nouveau' },
} as const satisfies Record<string, { from: readonly CaseStage[]; to: CaseStage | null }>;

export type TransitionName = keyof typeof TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

/** Transitions that need more than a click (a commune and date, a reason): the board links to the case page. */
export const TRANSITIONS_WITH_INPUT: readonly TransitionName[] = ['settle', 'drop'];

export function allowedTransitions(stage: CaseStage): TransitionName[] {
  return TRANSITION_NAMES.filter((name) => (TRANSITIONS[name].from as readonly CaseStage[]).includes(stage));
}

/** Where this transition takes a case, or a conflict when it is not allowed from the case's stage. */
export function targetOf(name: TransitionName, current: { stage: CaseStage; paused_from: CaseStage | null }): CaseStage {
  const transition = TRANSITIONS[name];
  if (!(transition.from as readonly CaseStage[]).includes(current.stage)) {
    throw new AppError('conflict', 'newcomers.transition.notAllowed', {}, { transition: name, stage: current.stage });
  }
  const to = transition.to ?? current.paused_from;
  if (!to) throw new AppError('conflict', 'newcomers.transition.notAllowed', {}, { transition: name, stage: current.stage });
  return to;
}
