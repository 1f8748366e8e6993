/** The dues room: payments, gapless receipts (page and PDF), the periods they pay for. The others use only this file. */
export { duesRoutes } from './dues.routes.js';
export { getMyReceipt, getReceiptForStaff, payableDayProblem, paymentDefaults, receiptLines, receiptPdf, recordImportedPayment, recordImportedPayments, recordPayment, type Receipt } from './dues.service.js';
export { PAYMENT_METHODS, PaymentForm, type PaymentInput } from './dues.schemas.js';
export { textPdf, type PdfLine } from './dues.pdf.js';
// For the demo loader, which writes past dues directly.
export { insertPayment as insertPaymentRow, insertPeriod as insertPeriodRow } from './dues.repo.js';
export * as duesI18n from './dues.i18n.js';
