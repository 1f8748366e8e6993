/**
 * Pages of funder tags: the team's list (/admin/accueil/financeurs) and a case's tags. Each handler parses, calls
 * one service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { parseForm } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { refusedForm, renderCasePage } from './cases.pages.js';
import { CaseTagsForm, FunderTagChangeForm, FunderTagForm } from './tags.schemas.js';
import { addFunderTag, listFunderTagsForStaff, setCaseFunderTags, updateFunderTag } from './tags.service.js';
import { FunderTagsView } from './tags.views.js';

export async function tagsRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);

  const tagsPage = async (request: FastifyRequest, reply: FastifyReply, add?: { values?: Record<string, string>; errors?: Record<string, string> }, status = 200) => {
    const tags = await listFunderTagsForStaff(ctx, request.actor);
    return page(request, reply, <FunderTagsView tags={tags} add={add} />, status);
  };

  app.get('/admin/accueil/financeurs', { preHandler: requireUser }, (request, reply) => tagsPage(request, reply));

  app.post('/admin/accueil/financeurs', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(FunderTagForm, request.body);
    if (!form.ok) return tagsPage(request, reply, { values: form.values as Record<string, string>, errors: form.errors }, 422);
    await addFunderTag(ctx, request.actor, form.data.label);
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/admin/accueil/financeurs', 303);
  });

  app.post('/admin/accueil/financeurs/:tagId', { preHandler: requireUser }, async (request, reply) => {
    const { tagId } = request.params as { tagId: string };
    const form = parseForm(FunderTagChangeForm, request.body);
    if (!form.ok) return tagsPage(request, reply, { errors: form.errors }, 422);
    await updateFunderTag(ctx, request.actor, Number(tagId), form.data);
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/admin/accueil/financeurs', 303);
  });

  // A case's tags: a mistake shows the case page again with the section's error.
  app.post('/admin/accueil/:id/financeurs', { preHandler: requireUser }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = parseForm(CaseTagsForm, request.body);
    if (!form.ok) return renderCasePage(ctx, request, reply, id, { tags: form }, 422);
    try {
      await setCaseFunderTags(ctx, request.actor, id, form.data.tags.map(Number));
    } catch (error) {
      const refused = refusedForm(request, error);
      return renderCasePage(ctx, request, reply, id, { tags: refused.form }, refused.status);
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect(`/admin/accueil/${id}#financeurs`, 303);
  });
}
