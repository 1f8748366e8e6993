/**
 * The demo accounts (DEMO mode, see src/demo.ts): one per role so a newcomer can see every screen. The other
 * domains' demo content finds them by e-mail. The accounts are listed in the README; their shared password is
 * public on purpose.
 */
import type { AppContext } from '../../context.js';
import type { Role } from '../../db/schema.js';
import { isForeignKeyViolation } from '../../db/errors.js';
import { deleteUser, disableDemoAccounts, enableDemoAccounts, findUserByEmail, grantRoles, insertUser, listDemoAccountIds } from './accounts.repo.js';
import { hashPassword } from './accounts.service.js';

export const DEMO_PASSWORD = 'demo-gers-2026';

export const DEMO_ACCOUNTS: { email: string; name: string; roles: Role[] }[] = [
  { email: 'admin@demo.soho-solo.fr', name: 'Hélène Admin', roles: ['admin', 'staff'] },
  { email: 'accueil@demo.soho-solo.fr', name: 'Camille Accueil', roles: ['staff'] },
  { email: 'dynamo@demo.soho-solo.fr', name: 'Julien Dynamo', roles: ['space_manager'] },
  { email: 'partenaire@demo.soho-solo.fr', name: 'Mairie de Lectoure', roles: ['partner'] },
  { email: 'solo@demo.soho-solo.fr', name: 'Léa Solo', roles: ['member'] },
  { email: 'candidat@demo.soho-solo.fr', name: 'Famille Martin', roles: ['candidate'] },
  { email: 'visiteur@demo.soho-solo.fr', name: 'Paul Visiteur', roles: [] },
];

/**
 * Idempotent: existing demo accounts are left as they are (and a restart spends no time hashing), except that
 * demo accounts disabled by a start without demo mode work again, since demo mode is now asked for.
 */
export async function loadDemoAccounts(ctx: AppContext) {
  await enableDemoAccounts(ctx.db);
  const missing: typeof DEMO_ACCOUNTS = [];
  for (const account of DEMO_ACCOUNTS) if (!(await findUserByEmail(ctx.db, account.email))) missing.push(account);
  if (!missing.length) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    for (const account of missing) {
      if (await findUserByEmail(trx, account.email)) continue;
      const user = await insertUser(trx, { email: account.email, passwordHash, displayName: account.name, locale: 'fr', verifiedAt: now, createdAt: now, demo: true, territoryId: ctx.territory.id });
      await grantRoles(trx, ctx.territory.id, user.id, account.roles, null, now);
    }
  });
}

/** The server runs without demo mode: every demo account is disabled and its sessions closed (logins refused too). */
export const disableDemo = (ctx: AppContext) => disableDemoAccounts(ctx.db, ctx.clock.now());

/**
 * `npm run demo:remove`, after the other domains removed their demo content: deletes the demo accounts. One still
 * referenced by real work (a task of a real case assigned to the demo adviser) is disabled instead, and counted.
 */
export async function removeDemo(ctx: AppContext) {
  let removed = 0;
  for (const id of await listDemoAccountIds(ctx.db)) {
    try {
      await deleteUser(ctx.db, id);
      removed += 1;
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
    }
  }
  await disableDemoAccounts(ctx.db, ctx.clock.now());
  return { accounts: removed, accountsKeptDisabled: (await listDemoAccountIds(ctx.db)).length };
}
