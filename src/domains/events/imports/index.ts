/** The imports room: external public .ics feeds the team follows, imported into the agenda. */
export { importsRoutes } from './imports.routes.js';
export { addSource, importSource, importNow, importFeedJob, feedRefreshJob, scheduleFeedRefresh, listSources, isPrivateAddress, IMPORT_FEED_JOB, FEED_REFRESH_JOB, FEED_LIMITS } from './imports.service.js';
export * as importsI18n from './imports.i18n.js';
