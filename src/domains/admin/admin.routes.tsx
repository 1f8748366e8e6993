import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { requireUser } from '../../web/guards.js';
import { renderPage } from '../../web/render.js';
import { getDashboard } from './admin.service.js';
import { DashboardView } from './admin.views.js';

export async function adminRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin', { preHandler: requireUser }, async (request, reply) => {
    const counts = await getDashboard(ctx, request.actor);
    return renderPage(ctx, request, reply, <DashboardView counts={counts} />);
  });
}
