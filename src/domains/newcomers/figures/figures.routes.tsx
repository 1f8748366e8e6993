/**
 * Pages of the funnel figures (/admin/accueil/chiffres) and the two CSV exports (the figures, and the cases list
 * with its filters). Each handler parses, calls one service function, renders or sends the file.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../../context.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { FunnelQuery } from './figures.schemas.js';
import { exportCasesCsv, exportFunnelCsv, getFunnel } from './figures.service.js';
import { FunnelView } from './figures.views.js';
import { CaseListQuery } from '../cases/index.js';

export async function figuresRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);
  const csv = (reply: FastifyReply, file: { name: string; body: string }) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .type('text/csv; charset=utf-8')
      .send(file.body);

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
    const query = CaseListQuery.parse(request.query ?? {});
    return csv(reply, await exportCasesCsv(ctx, request.actor, query));
  });
}
