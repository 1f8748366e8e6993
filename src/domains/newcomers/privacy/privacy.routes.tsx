/** The household's deletion request, the team's anonymisation and the retention page. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { parseForm } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import * as schemas from './privacy.schemas.js';
import * as privacy from './privacy.service.js';
import { DeletionConfirmView, RetentionView } from './privacy.views.js';
import { renderCasePage } from '../cases/index.js';

export async function privacyRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/mon-projet/suppression', { preHandler: requireUser }, (request, reply) => renderPage(ctx, request, reply, <DeletionConfirmView />));

  app.post('/mon-projet/suppression', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.DeletionRequestForm, request.body);
    if (!form.ok) return renderPage(ctx, request, reply, <DeletionConfirmView errors={form.errors} />, 422);
    await privacy.requestCaseDeletion(ctx, request.actor);
    setFlash(reply, 'newcomers.privacy.flash.requested');
    return reply.redirect('/mon-projet#suppression', 303);
  });

  app.post('/mon-projet/suppression/annuler', { preHandler: requireUser }, async (request, reply) => {
    await privacy.withdrawCaseDeletion(ctx, request.actor);
    setFlash(reply, 'newcomers.privacy.flash.withdrawn');
    return reply.redirect('/mon-projet#suppression', 303);
  });

  app.get('/admin/accueil/conservation', { preHandler: requireUser }, async (request, reply) => {
    const data = await privacy.getRetentionWork(ctx, request.actor);
    return renderPage(ctx, request, reply, <RetentionView data={data} />);
  });

  app.post('/admin/accueil/:id/anonymiser', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(schemas.AnonymiseForm, request.body);
    if (!form.ok) return renderCasePage(ctx, request, reply, id, { anonymise: form }, 422);
    await privacy.anonymiseCase(ctx, request.actor, id);
    setFlash(reply, 'newcomers.privacy.flash.anonymised');
    return reply.redirect('/admin/accueil/conservation', 303);
  });
}
