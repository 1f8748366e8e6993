/**
 * Dues: the team records a payment on the member page; receipts as a printable page and a PDF, for the team
 * (/admin/adherents/recus/:id) and for the member's own (/compte/adhesion/recus/:id).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { receiptNumber } from '../members.common.js';
import { renderStaffMemberPage } from '../members.pages.js';
import { PaymentForm } from './dues.schemas.js';
import * as service from './dues.service.js';
import { ReceiptView } from './dues.views.js';

export async function duesRoutes(app: FastifyInstance, ctx: AppContext) {
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const paymentIdOf = (request: FastifyRequest) => (/^\d{1,10}$/.test(idOf(request)) ? Number(idOf(request)) : 0);

  app.post('/admin/adherents/:id/paiements', { preHandler: requireUser }, async (request, reply) => {
    const id = idOf(request);
    const form = parseForm(PaymentForm, request.body);
    if (!form.ok) return renderStaffMemberPage(ctx, request, reply, id, { payment: form }, 422);
    let receipt: string;
    try {
      receipt = (await service.recordPayment(ctx, request.actor, id, form.data)).receipt;
    } catch (error) {
      return renderStaffMemberPage(ctx, request, reply, id, { payment: { values: formValues(request.body), errors: fieldErrorsOf(error) } }, statusOf(error));
    }
    setFlash(reply, 'members.flash.paid', { receipt });
    return reply.redirect(`/admin/adherents/${id}#cotisations`, 303);
  });

  const sendPdf = (reply: FastifyReply, r: service.Receipt, pdf: Buffer) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="recu-${receiptNumber(r.receipt_year, r.receipt_seq)}.pdf"`)
      .type('application/pdf')
      .send(pdf);

  app.get('/admin/adherents/recus/:id', { preHandler: requireUser }, async (request, reply) => {
    const r = await service.getReceiptForStaff(ctx, request.actor, paymentIdOf(request));
    const lines = service.receiptLines(ctx, r, request.locale);
    return renderPage(ctx, request, reply, <ReceiptView lines={lines} pdfHref={`/admin/adherents/recus/${r.id}/pdf`} backHref={`/admin/adherents/${r.member_id}`} />);
  });

  app.get('/admin/adherents/recus/:id/pdf', { preHandler: requireUser }, async (request, reply) => {
    const r = await service.getReceiptForStaff(ctx, request.actor, paymentIdOf(request));
    return sendPdf(reply, r, service.receiptPdf(ctx, r, request.locale));
  });

  app.get('/compte/adhesion/recus/:id', { preHandler: requireUser }, async (request, reply) => {
    const r = await service.getMyReceipt(ctx, request.actor, paymentIdOf(request));
    const lines = service.receiptLines(ctx, r, request.locale);
    return renderPage(ctx, request, reply, <ReceiptView lines={lines} pdfHref={`/compte/adhesion/recus/${r.id}/pdf`} backHref="/compte/adhesion" />);
  });

  app.get('/compte/adhesion/recus/:id/pdf', { preHandler: requireUser }, async (request, reply) => {
    const r = await service.getMyReceipt(ctx, request.actor, paymentIdOf(request));
    return sendPdf(reply, r, service.receiptPdf(ctx, r, request.locale));
  });
}
