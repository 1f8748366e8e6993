/** The imports room: the existing member list brought in from a CSV or XLSX, dry run then apply. The others use only this file. */
export { importsRoutes } from './imports.routes.js';
export { applyMemberImport, getImportReview, uploadMemberList, type ImportSummary } from './imports.service.js';
export * as importsI18n from './imports.i18n.js';
