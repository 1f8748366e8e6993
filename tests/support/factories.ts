/** Builds the people and things a test needs, directly through repos (fast, no HTTP). */
import type { AppContext } from '../../src/context.js';
import type { Role } from '../../src/db/schema.js';
import { grantRoles, hashPassword, insertUser } from '../../src/domains/accounts/index.js';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../src/shared/app-error.js';
import { Agent } from './agent.js';

export const PASSWORD = 'un mot de passe solide';
let passwordHash: Promise<string> | null = null;
let counter = 0;

export async function createUser(
  ctx: AppContext,
  opts: { email?: string; name?: string; roles?: Role[]; verified?: boolean; locale?: 'fr' | 'en' } = {},
) {
  passwordHash ??= hashPassword(PASSWORD);
  counter += 1;
  const email = opts.email ?? `personne${counter}@exemple.fr`;
  const now = ctx.clock.now();
  const user = await insertUser(ctx.db, {
    email,
    passwordHash: await passwordHash,
    displayName: opts.name ?? `Personne ${counter}`,
    locale: opts.locale ?? 'fr',
    verifiedAt: opts.verified === false ? null : now,
    createdAt: now,
    territoryId: ctx.territory.id,
  });
  await grantRoles(ctx.db, ctx.territory.id, user.id, opts.roles ?? [], null, now);
  return { id: user.id, email, password: PASSWORD };
}

export const actorFor = (ctx: AppContext, user: { id: string } | null, roles: Role[] = []) => ({
  userId: user?.id ?? null,
  territoryId: ctx.territory.id,
  roles: new Set(roles),
});

/** A new account with these roles, signed in through the login form: its agent (holding the session), the user, the actor. */
export async function signedInUser(world: { ctx: AppContext; app: FastifyInstance }, roles: Role[] = [], name?: string) {
  const user = await createUser(world.ctx, { roles, name });
  const agent = new Agent(world.app);
  await agent.login(user.email, user.password);
  return { user, agent, actor: actorFor(world.ctx, user, roles) };
}

/** How a use case ended: 'ok', or the AppError's code ('forbidden', 'not_found', 'invalid'…); other errors fail the test. */
export async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}
