/**
 * The cases room: the core of the journey (applications, the case file and its stages, the team's list and board,
 * notes, tasks, checklist, messages, drop reasons, funder tags, /mon-projet). The other rooms use only this file;
 * they add to the case pages, the export and the stage changes through the extension points below, so the core
 * never imports a room.
 */
export * as casesI18n from './cases.i18n.js';
export { casesRoutes } from './cases.routes.js';
export { taskReminderJob } from './cases.jobs.js';
export { attachAppointmentNote } from './cases.appointments.js';

export {
  caseAnonymisedPoint,
  caseExportPoint,
  caseSectionsPoint,
  caseTransitionPoint,
  householdSectionsPoint,
  type CaseAnonymisedListener,
  type CaseExportPart,
  type CaseFacts,
  type CaseTransition,
  type CaseTransitionListener,
  type FormState,
  type PageForms,
  type PageSection,
} from './cases.extensions.js';

// The one way a room's failed form shows the page again (422, the values, a message per field).
export { refusedForm, renderCasePage, renderMyProject } from './cases.pages.js';

export { STAGES, allowedTransitions, type TransitionName } from './stages.js';
export { CaseListQuery, EmptyForm, PROJECTS, splitCodes, type AdultInput, type ApplicationInput, type ChildInput, type Need, type Project } from './cases.schemas.js';
export {
  TASK_REMINDER_JOB,
  addCaseNote,
  addCaseTask,
  applyToProgramme,
  purgeHeldApplications,
  type ApplyResult,
  assignAdviser,
  dropCase,
  exportMyData,
  listDropReasonsForStaff,
  markSettled,
  putOnHold,
  qualifyCase,
  resolveFilter,
  sendStaffMessage,
  startAccompaniment,
  startDiscoveryStay,
  startFollowUp,
  startMoving,
  transitionLockedCase,
  type LockedCase,
} from './cases.service.js';
export { listFunderTagsForStaff, setCaseFunderTags } from './tags.service.js';

// Reading and locking a case, for the rooms' use cases.
export {
  communeNames,
  communesByCode,
  describeCases,
  findCase,
  findCaseForOffers,
  findCaseIdOfContact,
  findCaseOfContactForUpdate,
  hasAnyCase,
  markAllCasesDemo,
  deleteDemoCases,
  listAdults,
  listChildren,
  listTargetCodes,
  lockCase,
  matching,
  readListVersion,
  type CaseFilter,
  type CaseRow,
} from './cases.repo.js';
export { listFunderTags } from './tags.repo.js';

// Pieces of the case pages that other rooms show too (the partner's view of a household, tag names in figures).
export { HouseholdTables, TargetVillagesFact } from './people.views.js';
export { useTagName } from './tags.views.js';
