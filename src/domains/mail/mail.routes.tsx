/** The outbox for admins: the list of mails with their delivery state, one mail, and "Renvoyer". */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { setFlash } from '../../web/flash.js';
import { requireUser } from '../../web/guards.js';
import { renderPage } from '../../web/render.js';
import { MailIdParam, OutboxQuery } from './mail.schemas.js';
import { getOutboxMail, listOutbox, requeueHeldMails, requeueMail } from './mail.service.js';
import { OutboxMailView, OutboxView } from './mail.views.js';

/** A malformed id is no mail: null, which the service answers with 404 once it has checked who asks. */
const mailIdOf = (params: unknown) => {
  const parsed = MailIdParam.safeParse(params);
  return parsed.success ? parsed.data.id : null;
};

export async function mailRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/courriels', { preHandler: requireUser }, async (request, reply) => {
    const q = OutboxQuery.parse(request.query);
    const result = await listOutbox(ctx, request.actor, { page: q.page, state: q.etat });
    return renderPage(ctx, request, reply, <OutboxView {...result} state={q.etat} />);
  });

  app.post('/admin/courriels/retenus', { preHandler: requireUser }, async (request, reply) => {
    const count = await requeueHeldMails(ctx, request.actor);
    setFlash(reply, count ? 'mail.admin.heldRequeued' : 'mail.admin.heldNone');
    return reply.redirect('/admin/courriels', 303);
  });

  app.get('/admin/courriels/:id', { preHandler: requireUser }, async (request, reply) => {
    const result = await getOutboxMail(ctx, request.actor, mailIdOf(request.params));
    return renderPage(ctx, request, reply, <OutboxMailView {...result} />);
  });

  app.post('/admin/courriels/:id/renvoyer', { preHandler: requireUser }, async (request, reply) => {
    const id = await requeueMail(ctx, request.actor, mailIdOf(request.params));
    setFlash(reply, 'mail.admin.requeued');
    return reply.redirect(`/admin/courriels/${id}`, 303);
  });
}
