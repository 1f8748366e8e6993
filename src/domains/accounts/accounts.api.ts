/** JSON API for accounts: who am I. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { getAccount } from './accounts.service.js';

const Me = z.object({
  id: z.uuid(),
  email: z.email(),
  displayName: z.string(),
  locale: z.enum(['fr', 'en']),
  roles: z.array(z.string()),
});

export async function accountsApi(api: FastifyInstance, ctx: AppContext) {
  api.get('/me', { config: { openapi: { summary: 'The signed-in account and its roles in this territory', tags: ['accounts'], response: Me, auth: true } } }, async (request) => {
    const a = await getAccount(ctx, request.actor);
    return Me.parse({ id: a.id, email: a.email, displayName: a.displayName, locale: a.locale, roles: a.roles });
  });
}
