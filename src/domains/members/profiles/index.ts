/** The profiles room: the member's profile and who sees each field, the directory and its API, the map of solos, the contact relay. */
export * as profilesI18n from './profiles.i18n.js';
export { profilesRoutes } from './profiles.routes.js';
export { profilesApi } from './profiles.api.js';
export { countPublicSolos, eraseProfileData, exportProfileData, listSkillChoices, saveMyProfile } from './profiles.service.js';
export { skillKey } from './profiles.schemas.js';
export { visibleProfile, DEFAULT_VISIBILITY, type Viewer, type VisibleProfile } from './profiles.visibility.js';
export { isOpenBuddy } from './profiles.buddies.js';
export { loadDemoProfiles } from './profiles.demo.js';
