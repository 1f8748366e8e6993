/** The association's figures (/admin/adherents/chiffres) and their CSV (/admin/adherents/chiffres.csv). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { exportMemberFiguresCsv, getMemberFigures } from './figures.service.js';
import { MemberFiguresView } from './figures.views.js';

export async function figuresRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/adherents/chiffres', { preHandler: requireUser }, async (request, reply) => {
    const data = await getMemberFigures(ctx, request.actor);
    return renderPage(ctx, request, reply, <MemberFiguresView data={data} territory={ctx.territory.slug} programme={ctx.territory.programmeName} />);
  });

  app.get('/admin/adherents/chiffres.csv', { preHandler: requireUser }, async (request, reply) => {
    const file = await exportMemberFiguresCsv(ctx, request.actor);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).header('cache-control', 'no-store').send(file.body);
  });
}
