/**
 * Route guards only decide how to answer an anonymous visitor (redirect to the login page with a way back).
 * The real permission check is in each service, so it holds whatever the entry point.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export async function requireUser(request: FastifyRequest, reply: FastifyReply) {
  if (request.user) return;
  if (request.url.startsWith('/api/')) return; // the service answers 401 as problem+json
  const back = encodeURIComponent(request.url);
  return reply.redirect(`/connexion?retour=${back}`, 303);
}
