/** /compte/carte (the member's card) and /adherents/verifier/:token (public, what a QR code leads to). */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import * as service from './card.service.js';
import { CardView, VerifyView } from './card.views.js';

export async function cardRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/compte/carte', { preHandler: requireUser }, async (request, reply) => {
    const card = await service.getMyCard(ctx, request.actor);
    return renderPage(ctx, request, reply, <CardView card={card} />);
  });

  // Not cached: the answer changes with payments and at midnight; the page is tiny.
  app.get('/adherents/verifier/:token', async (request, reply) => {
    const result = await service.verifyCard(ctx, (request.params as { token: string }).token);
    reply.header('x-robots-tag', 'noindex');
    return renderPage(ctx, request, reply, <VerifyView validUntil={result.validUntil} />);
  });
}
