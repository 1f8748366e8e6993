/** The documents room: files of a case (upload, download, deletion), stored outside anything served. */
export * as documentsI18n from './documents.i18n.js';
export { documentsRoutes } from './documents.routes.js';
// For the privacy room, which shows the documents with the case's records and removes them when anonymising.
export { MAX_DOCUMENTS_PER_CASE, listCaseDocuments, type DocumentRow } from './documents.service.js';
export { removeDocumentFiles, removeLeftoverUploads } from './documents.storage.js';
export { DocumentsTable, DocumentUploadForm } from './documents.views.js';
