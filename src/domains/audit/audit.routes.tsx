import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { requireUser } from '../../web/guards.js';
import { renderPage } from '../../web/render.js';
import { listAudit } from './audit.service.js';
import { AuditView } from './audit.views.js';

const Query = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  action: z.string().trim().max(80).optional().catch(undefined),
  acteur: z.string().trim().max(200).optional().catch(undefined),
  sujet: z.string().trim().max(200).optional().catch(undefined),
});

export async function auditRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/journal', { preHandler: requireUser }, async (request, reply) => {
    const q = Query.parse(request.query);
    const result = await listAudit(ctx, request.actor, {
      page: q.page,
      action: q.action || undefined,
      actorEmail: q.acteur || undefined,
      subjectId: q.sujet || undefined,
    });
    return renderPage(ctx, request, reply, <AuditView {...result} filter={{ action: q.action, acteur: q.acteur, sujet: q.sujet }} />);
  });
}
