/**
 * Pages of funder tags and funnel figures: the tags list (/admin/accueil/financeurs), a case's tags, the figures
 * (/admin/accueil/chiffres) and the two CSV exports. Each handler parses, calls one service function, renders.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../../context.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { CaseTagsForm, FunderTagChangeForm, FunderTagForm, FunnelQuery } from './figures.schemas.js';
import { exportCasesCsv, exportFunnelCsv, getFunnel } from './figures.service.js';
import { FunnelView } from './figures.views.js';
import * as schemas from '../cases/cases.schemas.js';
import { getCaseFile } from '../cases/cases.service.js';
import { CaseFileView } from '../cases/staff.views.js';
import { addFunderTag, listFunderTagsForStaff, setCaseFunderTags, updateFunderTag } from '../cases/tags.service.js';
import { FunderTagsView } from '../cases/tags.views.js';

export async function funnelRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);
  const csv = (reply: FastifyReply, file: { name: string; body: string }) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .type('text/csv; charset=utf-8')
      .send(file.body);

  // ------------------------------------------------------------------------------------------- funder tags
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
    const again = async (tags: { values?: FormValues; errors?: FieldErrors }, status: number) =>
      page(request, reply, <CaseFileView file={await getCaseFile(ctx, request.actor, id)} forms={{ tags }} />, status);
    const form = parseForm(CaseTagsForm, request.body);
    if (!form.ok) return again({ values: form.values, errors: form.errors }, 422);
    try {
      await setCaseFunderTags(ctx, request.actor, id, form.data.tags.map(Number));
    } catch (error) {
      return again({ values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect(`/admin/accueil/${id}#financeurs`, 303);
  });

  // ------------------------------------------------------------------------------------------- figures and exports
  app.get('/admin/accueil/chiffres', { preHandler: requireUser }, async (request, reply) => {
    const query = FunnelQuery.parse(request.query ?? {});
    const data = await getFunnel(ctx, request.actor, query);
    return page(request, reply, <FunnelView data={data} territory={ctx.territory.slug} />);
  });

  app.get('/admin/accueil/chiffres.csv', { preHandler: requireUser }, async (request, reply) => {
    const query = FunnelQuery.parse(request.query ?? {});
    return csv(reply, await exportFunnelCsv(ctx, request.actor, query));
  });

  app.get('/admin/accueil/dossiers.csv', { preHandler: requireUser }, async (request, reply) => {
    const query = schemas.CaseListQuery.parse(request.query ?? {});
    return csv(reply, await exportCasesCsv(ctx, request.actor, query));
  });
}
