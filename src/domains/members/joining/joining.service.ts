/**
 * Joining, in the association's words: a person applies with a plan and accepts the statutes and the privacy
 * notice; the team approves or declines with a message (mailed); approval makes them a member of the territory
 * (`member` role); the team may strike a member off, with a reason. A plan without approval is approved at once.
 * Each change runs in one transaction with its audit entry and its mails.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor, AppContext } from '../../../context.js';
import type { DB } from '../../../db/schema.js';
import { isUniqueViolation } from '../../../db/errors.js';
import { AppError } from '../../../shared/app-error.js';
import { ROLE_GROUPS } from '../../../shared/roles.js';
import type { Locale } from '../../../web/i18n/index.js';
import { findOrCreateUnverifiedUser, findOrCreateUnverifiedUsers, findUserByEmail, grantRoles, grantRolesToUsers, listUsersWithAnyRole, revokeRoles, sendAccountLink } from '../../accounts/index.js';
import { recordAudit } from '../../audit/index.js';
import { findNewcomerCaseOfContact } from '../../newcomers/index.js';
import { listCommuneNames } from '../../territory/index.js';
import { findPlan, listActivePlans } from '../plans/index.js';
import { isUuid, mail, memberNumber, notFound } from '../members.common.js';
import { assertMemberStaff } from '../members.policy.js';
import { findAccountForMail, findMemberOfUser, findMembersOfUsers, lockMember, nextCounter, reserveCounter } from '../members.repo.js';
import * as repo from './joining.repo.js';
import type { ApplicationInput } from './joining.schemas.js';

const invalid = (field: string, key: string) => new AppError('invalid', 'errors.invalid', { [field]: key });

/** What the form offers: the active plans, the territory's communes, and who is applying when signed in. */
export async function getApplicationForm(ctx: AppContext, actor: Actor) {
  const [plans, communes, own] = await Promise.all([
    listActivePlans(ctx),
    listCommuneNames(ctx.db, ctx.territory.id),
    actor.userId ? findMemberOfUser(ctx.db, ctx.territory.id, actor.userId) : Promise.resolve(undefined),
  ]);
  // A declined application may be made again (the mail of the decision invites to).
  return { plans, communes, alreadyMember: !!own && own.state !== 'declined' };
}

/**
 * The application was not made because its address belongs to an account whose owner is not signed in: the owner
 * is told by mail (sign in and join from the account, or see the membership they hold). The form answers as it does
 * for a new address, so it never tells a stranger whose address has an account or a membership.
 */
export class OwnerToldByMail extends Error {
  constructor() {
    super('the address belongs to an account: its owner was told by mail');
  }
}

/**
 * A person applies. Signed in, the application is for their own account (the form's address is theirs). Not
 * signed in, a new account is created (unverified, with an activation link); an address that already has an
 * account must sign in first, so nobody can apply in another person's name: its owner is told by mail and the call
 * throws `OwnerToldByMail`. One membership per account.
 */
export async function applyForMembership(ctx: AppContext, actor: Actor, input: ApplicationInput, locale: Locale) {
  const territoryId = ctx.territory.id;
  const plan = await findPlan(ctx.db, territoryId, input.planId);
  if (!plan || plan.archived_at) throw invalid('planId', 'members.join.planUnknown');
  if (input.insee && !(await repo.communeExists(ctx.db, territoryId, input.insee))) throw invalid('insee', 'members.join.communeUnknown');
  let applied;
  try {
    applied = await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.clock.now();
      const existing = await findUserByEmail(trx, input.email);
      if (actor.userId) {
        if (!existing || existing.id !== actor.userId) throw invalid('email', 'members.join.notYourAddress');
      } else if (existing) {
        const held = await findMemberOfUser(trx, territoryId, existing.id);
        const member = held && held.state !== 'declined';
        await mail(trx, ctx, existing.email, existing.locale, member ? 'addressIsMember' : 'addressHasAccount', { name: existing.display_name }, member ? '/compte/adhesion' : '/adherer');
        return null;
      }
      const displayName = `${input.firstName} ${input.lastName}`;
      const user = await findOrCreateUnverifiedUser(trx, ctx, { email: input.email, displayName, locale });
      if (user.disabled) throw invalid('email', 'members.join.accountDisabled');
      if (!actor.userId && !user.created) throw invalid('email', 'members.join.accountExists');
      const previous = await findMemberOfUser(trx, territoryId, user.id);
      if (previous && previous.state !== 'declined') throw invalid('email', 'members.join.alreadyMember');

      // Applying again after a refusal keeps the member number; the new answers replace the old ones.
      const number = previous?.number ?? (await nextCounter(trx, territoryId, 'member'));
      const approved = !plan.needs_approval;
      const caseRow = input.insee === null ? await findNewcomerCaseOfContact(trx, territoryId, user.id) : undefined;
      const values: repo.NewMember = {
        territoryId,
        number,
        userId: user.id,
        planId: plan.id,
        firstName: input.firstName,
        lastName: input.lastName,
        phone: input.phone ?? null,
        activity: input.activity,
        insee: input.insee,
        newcomerCaseId: caseRow?.id ?? null,
        state: approved ? 'approved' : 'pending',
        cardToken: randomBytes(18).toString('base64url'),
        now,
      };
      const member = previous ? await repo.reopenApplication(trx, previous.id, values) : await repo.insertMember(trx, values);
      if (approved) await grantRoles(trx, territoryId, user.id, ['member'], null, now);
      const params = { name: displayName, number: memberNumber(number), plan: plan.name };
      await mail(trx, ctx, user.email, user.locale, approved ? 'welcome' : 'received', params, '/compte/adhesion');
      for (const person of await listUsersWithAnyRole(trx, territoryId, ROLE_GROUPS.team)) {
        await mail(trx, ctx, person.email, person.locale, approved ? 'joinedStaff' : 'applicationStaff', params, `/admin/adherents/${member.id}`);
      }
      const accountLink = await sendAccountLink(trx, ctx, user.id);
      await recordAudit(trx, ctx, { userId: actor.userId ?? user.id, territoryId }, {
        action: 'member.applied',
        subjectType: 'member',
        subjectId: member.id,
        data: { number, plan: plan.id, approved, outsideTerritory: input.insee === null, newcomerCase: caseRow?.id ?? null, ...(previous ? { again: true } : {}) },
      });
      return { memberId: member.id, number, approved, accountLink };
    });
  } catch (error) {
    // Two applications for one account at the same instant: the second is told, as if it came after.
    if (isUniqueViolation(error, 'member_territory_user_unique') || isUniqueViolation(error, 'user_account_email_key')) throw invalid('email', 'members.join.alreadyMember');
    throw error;
  }
  if (!applied) throw new OwnerToldByMail();
  return applied;
}

/** A member of the list being imported, as its line reads once checked. */
export interface ImportedMemberInput {
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  activity: string | null;
  insee: string | null;
  planId: number;
}

/**
 * A member brought in by an import, approved at once (the association already counted them): in the import's
 * transaction, on their existing account or on a new one without a password, which gets the activation link the
 * joining flow sends; the `member` role on the territory. The import's own audit entry covers it.
 */
export async function admitImportedMember(trx: Transaction<DB>, ctx: AppContext, actor: Actor, input: ImportedMemberInput) {
  assertMemberStaff(actor);
  const territoryId = actor.territoryId;
  const now = ctx.clock.now();
  const user = await findOrCreateUnverifiedUser(trx, ctx, { email: input.email, displayName: `${input.firstName} ${input.lastName}`, locale: 'fr' });
  if (user.disabled) throw invalid('email', 'members.join.accountDisabled');
  if (!user.created && (await findMemberOfUser(trx, territoryId, user.id))) throw invalid('email', 'members.join.alreadyMember');
  const number = await nextCounter(trx, territoryId, 'member');
  const member = await repo.insertMember(trx, {
    territoryId,
    number,
    userId: user.id,
    planId: input.planId,
    firstName: input.firstName,
    lastName: input.lastName,
    phone: input.phone,
    activity: input.activity,
    insee: input.insee,
    newcomerCaseId: null,
    state: 'approved',
    cardToken: randomBytes(18).toString('base64url'),
    now,
    decidedBy: actor.userId,
  });
  await grantRoles(trx, territoryId, user.id, ['member'], actor.userId, now);
  if (user.created) await sendAccountLink(trx, ctx, user.id, { next: '/compte/adhesion' });
  return { memberId: member.id, number, accountCreated: user.created };
}

/**
 * `admitImportedMember` for many lines at once, in the import's transaction: the accounts, the numbers (one counter
 * step for all), the members and the role in a few statements whatever their number; only the activation mails of
 * the accounts created here go one by one. Answers in the order of `inputs`.
 */
export async function admitImportedMembers(trx: Transaction<DB>, ctx: AppContext, actor: Actor, inputs: ImportedMemberInput[]) {
  assertMemberStaff(actor);
  if (!inputs.length) return [];
  const territoryId = actor.territoryId;
  const now = ctx.clock.now();
  const users = await findOrCreateUnverifiedUsers(trx, ctx, inputs.map((input) => ({ email: input.email, displayName: `${input.firstName} ${input.lastName}`, locale: 'fr' as const })));
  if (users.some((u) => u.disabled)) throw invalid('email', 'members.join.accountDisabled');
  const known = users.filter((u) => !u.created).map((u) => u.id);
  if (known.length && (await findMembersOfUsers(trx, territoryId, known)).length) throw invalid('email', 'members.join.alreadyMember');
  const first = await reserveCounter(trx, territoryId, 'member', inputs.length);
  const members = await repo.insertMembers(
    trx,
    inputs.map((input, i) => ({
      territoryId,
      number: first + i,
      userId: users[i].id,
      planId: input.planId,
      firstName: input.firstName,
      lastName: input.lastName,
      phone: input.phone,
      activity: input.activity,
      insee: input.insee,
      newcomerCaseId: null,
      state: 'approved' as const,
      cardToken: randomBytes(18).toString('base64url'),
      now,
      decidedBy: actor.userId,
    })),
  );
  const idOf = new Map(members.map((m) => [m.number, m.id]));
  await grantRolesToUsers(trx, territoryId, users.map((u) => u.id), ['member'], actor.userId, now);
  for (const u of users) if (u.created) await sendAccountLink(trx, ctx, u.id, { next: '/compte/adhesion' });
  return inputs.map((_, i) => ({ memberId: idOf.get(first + i)!, number: first + i, accountCreated: users[i].created }));
}

async function decide(ctx: AppContext, actor: Actor, memberId: string, to: 'approved' | 'declined', message: string | undefined) {
  assertMemberStaff(actor);
  if (!isUuid(memberId)) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const m = await lockMember(trx, actor.territoryId, memberId);
    if (!m) throw notFound();
    if (m.state !== 'pending') throw new AppError('conflict', 'members.decision.notPending');
    const now = ctx.clock.now();
    await repo.setDecision(trx, m.id, { state: to, message: message ?? null, by: actor.userId, now });
    if (m.user_id) {
      if (to === 'approved') await grantRoles(trx, actor.territoryId, m.user_id, ['member'], actor.userId, now);
      const account = await findAccountForMail(trx, m.user_id);
      if (account) {
        const params = { name: `${m.first_name} ${m.last_name}`, number: memberNumber(m.number), message: message ?? '' };
        await mail(trx, ctx, account.email, account.locale, to === 'approved' ? 'approved' : 'declined', params, to === 'approved' ? '/compte/adhesion' : '/adherer');
      }
    }
    await recordAudit(trx, ctx, actor, { action: to === 'approved' ? 'member.approved' : 'member.declined', subjectType: 'member', subjectId: m.id, data: { number: m.number, ...(to === 'approved' && m.user_id ? { roleGranted: 'member' } : {}) } });
  });
}

export const approveApplication = (ctx: AppContext, actor: Actor, memberId: string, message?: string) => decide(ctx, actor, memberId, 'approved', message);
export const declineApplication = (ctx: AppContext, actor: Actor, memberId: string, message: string) => decide(ctx, actor, memberId, 'declined', message);

/** Strikes a member off (radiation), with the reason the statutes require; they lose the member role. */
export async function strikeOffMember(ctx: AppContext, actor: Actor, memberId: string, reason: string) {
  assertMemberStaff(actor);
  if (!isUuid(memberId)) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const m = await lockMember(trx, actor.territoryId, memberId);
    if (!m) throw notFound();
    if (m.state === 'struck_off' || m.state === 'declined') throw new AppError('conflict', 'members.strikeOff.notMember');
    await repo.setDecision(trx, m.id, { state: 'struck_off', message: m.decision_message, by: actor.userId, now: ctx.clock.now(), reason });
    if (m.user_id) await revokeRoles(trx, actor.territoryId, m.user_id, ['member']);
    await recordAudit(trx, ctx, actor, { action: 'member.struck_off', subjectType: 'member', subjectId: m.id, data: { number: m.number, ...(m.user_id ? { roleRevoked: 'member' } : {}) } });
  });
}
