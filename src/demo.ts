/**
 * Demo content for a fresh embedded database (DEMO=auto), or anywhere with DEMO=1: one account per role so
 * a newcomer can see every screen. Never loaded on PostgreSQL unless asked; DEMO=0 turns it off everywhere.
 * The accounts are listed in the README; their shared password is public on purpose.
 */
import type { AppContext } from './context.js';
import type { Role } from './db/schema.js';
import { findUserByEmail, grantRoles, hashPassword, insertUser } from './domains/accounts/index.js';
import { loadDemoOffers, loadDemoPartnerProfile, loadNewcomersDemo } from './domains/newcomers/index.js';
import { loadDemoPrices } from './domains/places/index.js';

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

export async function loadDemoIfWanted(ctx: AppContext) {
  if (!ctx.demo) return;
  await loadDemoAccounts(ctx);
  // The demo partner is Lectoure's welcome committee: cases aiming at Lectoure suggest it when staff share them.
  await loadDemoPartnerProfile(ctx, 'partenaire@demo.soho-solo.fr', { organisation: 'Mairie de Lectoure', kind: 'welcome_committee', communes: ['32208'] });
  // Example coworking prices on La Dynamo's page, labelled as an example there (real prices are unknown).
  await loadDemoPrices(ctx.db, ctx.territory.id);
  // Example offers (takeover, job, housing) on /offres, each labelled as an example; before the households, so the
  // demo household can say one interests it.
  await loadDemoOffers(ctx);
  // Households at every stage of the welcome programme, followed by the demo welcome team, with the demo member as a
  // buddy, cases shared with the demo partner, discovery stays and follow-up answers.
  const [staff, admin, candidate, member, partner] = await Promise.all(
    ['accueil', 'admin', 'candidat', 'solo', 'partenaire'].map((name) => findUserByEmail(ctx.db, `${name}@demo.soho-solo.fr`)),
  );
  if (staff && admin) {
    await loadNewcomersDemo(ctx, {
      staffId: staff.id,
      adminId: admin.id,
      candidateEmail: 'candidat@demo.soho-solo.fr',
      candidateId: candidate?.id,
      memberId: member?.id,
      partnerId: partner?.id,
    });
  }
}

/** Idempotent: existing demo accounts are left as they are (and a restart spends no time hashing). */
export async function loadDemoAccounts(ctx: AppContext) {
  const missing: typeof DEMO_ACCOUNTS = [];
  for (const account of DEMO_ACCOUNTS) if (!(await findUserByEmail(ctx.db, account.email))) missing.push(account);
  if (!missing.length) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    for (const account of missing) {
      if (await findUserByEmail(trx, account.email)) continue;
      const user = await insertUser(trx, { email: account.email, passwordHash, displayName: account.name, locale: 'fr', verifiedAt: now, createdAt: now });
      await grantRoles(trx, ctx.territory.id, user.id, account.roles, null, now);
    }
  });
}
