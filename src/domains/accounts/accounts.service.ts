/**
 * Accounts use cases: sign up, verify an email, log in and out, reset a password, invite people and give
 * them roles. Every change runs in one transaction with its audit entry and, when it sends a mail, the
 * outbox row (so a rolled-back change never mails anybody).
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Actor, AppContext, Executor } from '../../context.js';
import type { Role } from '../../db/schema.js';
import { AppError } from '../../shared/app-error.js';
import { batchedLookup } from '../../shared/batched-lookup.js';
import { DAY, HOUR, MINUTE } from '../../shared/time.js';
import { hashToken, newToken } from '../../shared/tokens.js';
import { tFor } from '../../web/i18n/index.js';
import type { Locale } from '../../web/i18n/index.js';
import type { SessionUser } from '../../web/request.js';
import { recordAudit } from '../audit/index.js';
import { queueTemplatedMail } from '../mail/index.js';
import * as repo from './accounts.repo.js';
import { sessionCacheOf, type SessionRow } from './accounts.session-cache.js';
import { canManageUsers, INVITABLE_ROLES } from './accounts.policy.js';
import type { SignUpInput } from './accounts.schemas.js';

export const SESSION_COOKIE = 'sid';
export const SESSION_TTL = 30 * DAY;
/** Sliding expiry: the session's expiry moves forward at most once per this interval (saves a write per page). */
const SESSION_TOUCH_EVERY = 15 * MINUTE;
export const VERIFY_TTL = 48 * HOUR;
export const RESET_TTL = 1 * HOUR;
export const INVITE_TTL = 14 * DAY;

/** Argon2id with the library defaults (m = 19 MiB, t = 2, p = 1: OWASP's recommended minimum). */
export const hashPassword = (password: string) => argonHash(password);

// Compared against when the email is unknown, so both answers take the same time.
let decoyHash: Promise<string> | null = null;
const decoy = () => (decoyHash ??= argonHash('decoy-password-never-used'));

export interface RequestMeta {
  userAgent?: string;
}

// ---------------------------------------------------------------------------------------------- sessions

/** The session lookups of one turn of the event loop, per database and territory: one query for all of them. */
const sessionReads = new WeakMap<object, Map<number, (tokenHash: string) => Promise<SessionRow | undefined>>>();
function readSession(ctx: AppContext, tokenHash: string) {
  let byTerritory = sessionReads.get(ctx.database);
  if (!byTerritory) sessionReads.set(ctx.database, (byTerritory = new Map()));
  let read = byTerritory.get(ctx.territory.id);
  if (!read) {
    const territoryId = ctx.territory.id;
    read = batchedLookup(async (hashes: string[]) => new Map((await repo.findSessionsWithUsers(ctx.db, hashes, territoryId)).map((r) => [r.token_hash, r])));
    byTerritory.set(territoryId, read);
  }
  return read(tokenHash);
}

export async function resolveSession(ctx: AppContext, token: string, _userAgent?: string): Promise<{ user: SessionUser; actor: Actor } | null> {
  if (token.length > 100) return null;
  const tokenHash = hashToken(token);
  // From memory while the database's notifications keep it exact (decision 0033), else one round trip.
  const cache = sessionCacheOf(ctx);
  let row = cache?.get(tokenHash);
  if (!row) {
    const ticket = cache?.ticket();
    row = await readSession(ctx, tokenHash);
    if (row && cache && ticket) cache.store(ticket, row);
  }
  const now = ctx.clock.now();
  if (!row || row.expires_at <= now || row.disabled_at) return null;
  // A demo account (public password) never signs anyone in on a server running without demo mode.
  if (row.demo && !ctx.demo) return null;
  if (now.getTime() - row.last_seen_at.getTime() > SESSION_TOUCH_EVERY) {
    const expiresAt = new Date(now.getTime() + SESSION_TTL);
    // The kept row moves with it, so the requests that use it before the notification do not renew it again.
    row.last_seen_at = now;
    row.expires_at = expiresAt;
    await repo.touchSession(ctx.db, tokenHash, now, expiresAt);
  }
  return {
    user: {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      locale: row.locale,
      emailVerified: row.email_verified_at !== null,
    },
    actor: { userId: row.id, territoryId: ctx.territory.id, roles: new Set(row.roles) },
  };
}

async function openSession(db: Executor, ctx: AppContext, userId: string, meta: RequestMeta) {
  const { token, hash } = newToken();
  const now = ctx.clock.now();
  await repo.insertSession(db, { tokenHash: hash, userId, now, expiresAt: new Date(now.getTime() + SESSION_TTL), userAgent: meta.userAgent });
  return token;
}

// ---------------------------------------------------------------------------------------------- mails

function link(ctx: AppContext, path: string) {
  return `${ctx.config.baseUrl}${path}`;
}

async function mailUser(
  db: Executor,
  ctx: AppContext,
  to: string,
  locale: Locale,
  kind: 'verify' | 'reset' | 'invite' | 'activate' | 'activateAgain' | 'signupExisting' | 'resetUnknown',
  params: Record<string, string>,
) {
  await queueTemplatedMail(db, ctx, { to, locale, template: `accounts.mail.${kind}`, params, link: params.link });
}

// ---------------------------------------------------------------------------------------------- sign up

/**
 * Opens an account and mails its verification link. A known address gets the same answer (nobody learns which
 * addresses have an account here): nothing changes on the account, and its owner receives a mail saying someone
 * tried to sign up with it, with the way to a new password in case it was them.
 */
export async function signUp(ctx: AppContext, input: SignUpInput, meta: RequestMeta = {}) {
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const created = await repo.insertUserIfAbsent(trx, { email: input.email, passwordHash, displayName: input.displayName, locale: input.locale, createdAt: now, territoryId: ctx.territory.id });
    if (created) {
      await sendVerification(trx, ctx, created.id, input.email, input.locale);
      await recordAudit(trx, ctx, { userId: created.id, territoryId: ctx.territory.id }, { action: 'account.signed_up', subjectType: 'user', subjectId: created.id });
      return;
    }
    const owner = await repo.findUserByEmail(trx, input.email);
    await mailUser(trx, ctx, owner?.email ?? input.email, owner?.locale ?? input.locale, 'signupExisting', { link: link(ctx, '/mot-de-passe-oublie') });
    await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'account.sign_up_refused', subjectType: 'user', subjectId: owner?.id });
  });
  void meta;
}

async function sendVerification(db: Executor, ctx: AppContext, userId: string, email: string, locale: Locale) {
  const now = ctx.clock.now();
  const { token, hash } = newToken();
  await repo.expireEmailTokens(db, userId, 'verify_email', now);
  await repo.insertEmailToken(db, { tokenHash: hash, userId, purpose: 'verify_email', now, expiresAt: new Date(now.getTime() + VERIFY_TTL) });
  await mailUser(db, ctx, email, locale, 'verify', { link: link(ctx, `/inscription/verifier?jeton=${token}`) });
}

export const ACTIVATION_TTL = 7 * DAY;

/**
 * For people who come through another door than sign-up (a newcomer application): the account with this
 * address, or a new one without password and unverified. Runs in the caller's transaction.
 */
export async function findOrCreateUnverifiedUser(db: Executor, ctx: AppContext, input: { email: string; displayName: string; locale: Locale }) {
  const created = await repo.insertUserIfAbsent(db, { email: input.email, passwordHash: null, displayName: input.displayName, locale: input.locale, createdAt: ctx.clock.now(), territoryId: ctx.territory.id });
  const user = created ? await repo.findUserById(db, created.id) : await repo.findUserByEmail(db, input.email);
  if (!user) throw new Error('account vanished while being created');
  return {
    id: user.id,
    email: user.email,
    locale: user.locale,
    created: !!created,
    verified: user.email_verified_at !== null,
    hasPassword: user.password_hash !== null,
    disabled: user.disabled_at !== null,
  };
}

/**
 * The same for many people at once (an import, in its transaction): two statements whatever their number. Each
 * answer says whether the account was created here; addresses are compared without case.
 */
export async function findOrCreateUnverifiedUsers(db: Executor, ctx: AppContext, inputs: { email: string; displayName: string; locale: Locale }[]) {
  const now = ctx.clock.now();
  const created = new Set((await repo.insertUsersIfAbsent(db, inputs.map((i) => ({ email: i.email, displayName: i.displayName, locale: i.locale, createdAt: now, territoryId: ctx.territory.id })))).map((r) => r.id));
  const users = new Map((await repo.findUsersByEmails(db, inputs.map((i) => i.email))).map((u) => [u.email.toLowerCase(), u]));
  return inputs.map((input) => {
    const user = users.get(input.email.toLowerCase());
    if (!user) throw new Error('account vanished while being created');
    return { id: user.id, email: user.email, locale: user.locale, created: created.has(user.id), verified: user.email_verified_at !== null, hasPassword: user.password_hash !== null, disabled: user.disabled_at !== null };
  });
}

/**
 * Sends what an account still needs to be usable: a verification link when it has a password but an unproven
 * address, an activation link (choose a password, which proves the address too) when it has none, nothing
 * when it is ready. Runs in the caller's transaction, so the link is only mailed if the change commits.
 */
export async function sendAccountLink(db: Executor, ctx: AppContext, userId: string, opts: { next?: string } = {}): Promise<'verification' | 'activation' | 'none'> {
  const user = await repo.findUserById(db, userId);
  if (!user || user.disabled_at) return 'none';
  if (user.password_hash) {
    if (user.email_verified_at) return 'none';
    await sendVerification(db, ctx, user.id, user.email, user.locale);
    return 'verification';
  }
  const now = ctx.clock.now();
  const { token, hash } = newToken();
  // A link still unused is replaced: the new mail says so, and the old link says a newer one was sent.
  const replaced = await repo.expireEmailTokens(db, user.id, 'reset_password', now);
  await repo.insertEmailToken(db, { tokenHash: hash, userId: user.id, purpose: 'reset_password', now, expiresAt: new Date(now.getTime() + ACTIVATION_TTL) });
  const next = opts.next ? `&retour=${encodeURIComponent(opts.next)}` : '';
  await mailUser(db, ctx, user.email, user.locale, replaced > 0 ? 'activateAgain' : 'activate', { link: link(ctx, `/compte/activer?jeton=${token}${next}`) });
  return 'activation';
}

/** Sends a fresh verification link; answers the same whether or not the address is known. */
export async function resendVerification(ctx: AppContext, email: string) {
  await ctx.db.transaction().execute(async (trx) => {
    const user = await repo.findUserByEmail(trx, email);
    if (!user || user.email_verified_at) return;
    await sendVerification(trx, ctx, user.id, user.email, user.locale);
  });
}

/**
 * Uses a single-use token of the given purpose, or explains precisely why it cannot be used (a link replaced by a
 * newer one says so). `prefix` names the messages: an activation link speaks of activation, not of a reset.
 */
async function consumeToken(trx: Executor, ctx: AppContext, token: string, purpose: 'verify_email' | 'reset_password', prefix = purpose === 'verify_email' ? 'accounts.verify' : 'accounts.reset') {
  const row = await repo.findEmailTokenForUpdate(trx, hashToken(token));
  const now = ctx.clock.now();
  if (!row || row.purpose !== purpose) throw new AppError('invalid', `${prefix}.unknown`);
  if (row.used_at && (await repo.hasOtherTokenIssuedAt(trx, row.token_hash, row.user_id, purpose, row.used_at))) throw new AppError('invalid', `${prefix}.replaced`);
  if (row.used_at) throw new AppError('invalid', `${prefix}.used`);
  if (row.expires_at <= now) throw new AppError('invalid', `${prefix}.expired`);
  await repo.markEmailTokenUsed(trx, row.token_hash, now);
  return row;
}

export async function verifyEmail(ctx: AppContext, token: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await consumeToken(trx, ctx, token, 'verify_email');
    await repo.updateUser(trx, row.user_id, { email_verified_at: ctx.clock.now() });
    await recordAudit(trx, ctx, { userId: row.user_id, territoryId: ctx.territory.id }, { action: 'account.email_verified', subjectType: 'user', subjectId: row.user_id });
    return { userId: row.user_id };
  });
}

// ---------------------------------------------------------------------------------------------- log in / out

export async function logIn(ctx: AppContext, input: { email: string; password: string }, meta: RequestMeta = {}) {
  const user = await repo.findUserByEmail(ctx.db, input.email);
  const ok = user?.password_hash ? await argonVerify(user.password_hash, input.password).catch(() => false) : await argonVerify(await decoy(), input.password).then(() => false);
  if (!user || !ok || user.disabled_at || (user.demo && !ctx.demo)) {
    throw new AppError('unauthenticated', 'accounts.login.failed', { _form: 'accounts.login.failed' });
  }
  if (!user.email_verified_at) throw new AppError('forbidden', 'accounts.login.unverified', { _form: 'accounts.login.unverified' });
  return ctx.db.transaction().execute(async (trx) => {
    const token = await openSession(trx, ctx, user.id, meta);
    await recordAudit(trx, ctx, { userId: user.id, territoryId: ctx.territory.id }, { action: 'session.opened', subjectType: 'user', subjectId: user.id });
    return { token, user: { id: user.id, locale: user.locale } };
  });
}

export async function logOut(ctx: AppContext, token: string) {
  const tokenHash = hashToken(token);
  await repo.deleteSession(ctx.db, tokenHash);
  sessionCacheOf(ctx)?.forgetToken(tokenHash);
}

/** Closes every session of the user except, optionally, the current one. */
export async function logOutEverywhere(ctx: AppContext, actor: Actor, keepToken?: string) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  const userId = actor.userId;
  return ctx.db.transaction().execute(async (trx) => {
    const closed = await repo.deleteSessionsOfUser(trx, userId, keepToken ? hashToken(keepToken) : undefined);
    await recordAudit(trx, ctx, actor, { action: 'session.closed_everywhere', subjectType: 'user', subjectId: userId, data: { closed } });
    return closed;
  }).finally(() => sessionCacheOf(ctx)?.forgetAccount(userId));
}

// ---------------------------------------------------------------------------------------------- passwords

/**
 * Always answers the same, and does the same work, so nobody can learn which addresses have an account (by the
 * answer or by its time): a mail is queued either way, with a reset link for an account, or saying there is no
 * usable account at this address (and where to sign up) otherwise.
 */
export async function requestPasswordReset(ctx: AppContext, email: string) {
  await ctx.db.transaction().execute(async (trx) => {
    const user = await repo.findUserByEmail(trx, email);
    const now = ctx.clock.now();
    if (!user || user.disabled_at) {
      await mailUser(trx, ctx, user?.email ?? email, user?.locale ?? 'fr', 'resetUnknown', { link: link(ctx, '/inscription') });
      await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'password.reset_requested', subjectType: 'user', subjectId: user?.id, data: { account: false } });
      return;
    }
    const { token, hash } = newToken();
    await repo.expireEmailTokens(trx, user.id, 'reset_password', now);
    await repo.insertEmailToken(trx, { tokenHash: hash, userId: user.id, purpose: 'reset_password', now, expiresAt: new Date(now.getTime() + RESET_TTL) });
    await mailUser(trx, ctx, user.email, user.locale, 'reset', { link: link(ctx, `/mot-de-passe-oublie/nouveau?jeton=${token}`) });
    await recordAudit(trx, ctx, { userId: user.id, territoryId: ctx.territory.id }, { action: 'password.reset_requested', subjectType: 'user', subjectId: user.id });
  });
}

/** Checks a reset link before showing the form, so an expired link says so at once. */
export async function checkResetToken(ctx: AppContext, token: string) {
  await ctx.db
    .transaction()
    .execute(async (trx) => {
      await consumeToken(trx, ctx, token, 'reset_password');
      throw new RollbackCheck();
    })
    .catch((e) => {
      if (!(e instanceof RollbackCheck)) throw e;
    });
}
class RollbackCheck extends Error {}

export async function resetPassword(ctx: AppContext, token: string, password: string) {
  const passwordHash = await hashPassword(password);
  let userId: string | undefined;
  await ctx.db.transaction().execute(async (trx) => {
    const row = await consumeToken(trx, ctx, token, 'reset_password');
    userId = row.user_id;
    const now = ctx.clock.now();
    // The link came by mail, so the address is proven too.
    await repo.updateUser(trx, row.user_id, { password_hash: passwordHash, email_verified_at: now });
    await repo.deleteSessionsOfUser(trx, row.user_id);
    await recordAudit(trx, ctx, { userId: row.user_id, territoryId: ctx.territory.id }, { action: 'password.reset', subjectType: 'user', subjectId: row.user_id });
  });
  if (userId) sessionCacheOf(ctx)?.forgetAccount(userId);
}

/** Checks an activation link before showing its form, so a replaced or expired link says so at once. */
export async function checkActivationToken(ctx: AppContext, token: string) {
  await ctx.db
    .transaction()
    .execute(async (trx) => {
      await consumeToken(trx, ctx, token, 'reset_password', 'accounts.activate');
      throw new RollbackCheck();
    })
    .catch((e) => {
      if (!(e instanceof RollbackCheck)) throw e;
    });
}

/**
 * An account opened by another door (a newcomer application) is activated by choosing its password from the
 * mailed link, which proves the address; the person is signed in at once and goes on where the link said.
 */
export async function activateAccount(ctx: AppContext, token: string, password: string, meta: RequestMeta = {}) {
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await consumeToken(trx, ctx, token, 'reset_password', 'accounts.activate');
    const now = ctx.clock.now();
    await repo.updateUser(trx, row.user_id, { password_hash: passwordHash, email_verified_at: now });
    await repo.deleteSessionsOfUser(trx, row.user_id);
    const user = await repo.findUserById(trx, row.user_id);
    if (!user || user.disabled_at) throw new AppError('invalid', 'accounts.activate.unknown');
    const session = await openSession(trx, ctx, row.user_id, meta);
    await recordAudit(trx, ctx, { userId: row.user_id, territoryId: ctx.territory.id }, { action: 'account.activated', subjectType: 'user', subjectId: row.user_id });
    return { token: session, user: { id: user.id, locale: user.locale } };
  });
}

export async function changePassword(ctx: AppContext, actor: Actor, currentToken: string | null, input: { currentPassword: string; password: string }) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  const user = await repo.findUserById(ctx.db, actor.userId);
  if (!user?.password_hash || !(await argonVerify(user.password_hash, input.currentPassword).catch(() => false))) {
    throw new AppError('invalid', 'accounts.password.currentWrong', { currentPassword: 'accounts.password.currentWrong' });
  }
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, user.id, { password_hash: passwordHash });
    await repo.deleteSessionsOfUser(trx, user.id, currentToken ? hashToken(currentToken) : undefined);
    await recordAudit(trx, ctx, actor, { action: 'password.changed', subjectType: 'user', subjectId: user.id });
  });
  sessionCacheOf(ctx)?.forgetAccount(user.id);
}

export async function updateProfile(ctx: AppContext, actor: Actor, input: { displayName: string; locale: Locale }) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  const userId = actor.userId;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, userId, { display_name: input.displayName, locale: input.locale });
    await recordAudit(trx, ctx, actor, { action: 'account.updated', subjectType: 'user', subjectId: userId });
  });
  sessionCacheOf(ctx)?.forgetAccount(userId);
}

export async function getAccount(ctx: AppContext, actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  const user = await repo.findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('not_found', 'errors.not_found.text');
  const sessions = await repo.countSessionsOfUser(ctx.db, user.id, ctx.clock.now());
  return { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale, roles: [...actor.roles], sessions, createdAt: user.created_at };
}

/** The person's account as kept here, for an export of everything the programme holds about them. */
export async function exportAccountData(ctx: AppContext, userId: string) {
  const user = await repo.findUserById(ctx.db, userId);
  if (!user) return null;
  const roles = await repo.rolesOf(ctx.db, ctx.territory.id, userId);
  return { email: user.email, displayName: user.display_name, locale: user.locale, createdAt: user.created_at, emailVerifiedAt: user.email_verified_at, roles };
}

// ---------------------------------------------------------------------------------------------- people & roles

function assertAdmin(actor: Actor) {
  if (!actor.userId) throw new AppError('unauthenticated', 'errors.unauthenticated.text');
  if (!canManageUsers(actor)) throw new AppError('forbidden', 'errors.forbidden.text');
}

export const USERS_PAGE_SIZE = 50;

export async function listUsers(ctx: AppContext, actor: Actor, opts: { search?: string; role?: Role; page: number }) {
  assertAdmin(actor);
  const { rows, total } = await repo.listUsersWithRoles(ctx.db, actor.territoryId, { ...opts, limit: USERS_PAGE_SIZE, offset: (opts.page - 1) * USERS_PAGE_SIZE });
  const invitations = await repo.listInvitations(ctx.db, actor.territoryId);
  return { rows, total, page: opts.page, pages: Math.max(1, Math.ceil(total / USERS_PAGE_SIZE)), invitations };
}

export async function getUserForAdmin(ctx: AppContext, actor: Actor, userId: string) {
  assertAdmin(actor);
  // Another territory's account answers like a missing one: administrators manage their territory's people only.
  const user = /^[0-9a-f-]{36}$/.test(userId) ? await repo.findUserInTerritory(ctx.db, userId, actor.territoryId) : undefined;
  if (!user) throw new AppError('not_found', 'errors.not_found.text');
  const roles = await repo.rolesOf(ctx.db, actor.territoryId, user.id);
  return { id: user.id, email: user.email, displayName: user.display_name, verified: !!user.email_verified_at, disabled: !!user.disabled_at, createdAt: user.created_at, roles };
}

export async function inviteUser(ctx: AppContext, actor: Actor, input: { email: string; roles: Role[] }) {
  assertAdmin(actor);
  const roles = input.roles.filter((r) => INVITABLE_ROLES.includes(r));
  if (!roles.length) throw new AppError('invalid', 'accounts.invite.rolesRequired', { roles: 'accounts.invite.rolesRequired' });
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const { token, hash } = newToken();
    const inv = await repo.insertInvitation(trx, {
      territoryId: actor.territoryId,
      tokenHash: hash,
      email: input.email,
      roles,
      invitedBy: actor.userId!,
      now,
      expiresAt: new Date(now.getTime() + INVITE_TTL),
    });
    const existing = await repo.findUserByEmail(trx, input.email);
    await mailUser(trx, ctx, input.email, existing?.locale ?? 'fr', 'invite', {
      link: link(ctx, `/invitation?jeton=${token}`),
      roles: roles.map((r) => tFor(existing?.locale ?? 'fr')(`roles.${r}`)).join(', '),
    });
    await recordAudit(trx, ctx, actor, { action: 'invitation.sent', subjectType: 'invitation', subjectId: inv.id, data: { email: input.email, roles } });
    return { id: inv.id };
  });
}

/** What the invitation page shows before acceptance; explains unknown, used or expired links. */
export async function getInvitation(ctx: AppContext, token: string) {
  const inv = await repo.findInvitation(ctx.db, hashToken(token));
  if (!inv || inv.territory_id !== ctx.territory.id) throw new AppError('invalid', 'accounts.invite.unknown');
  if (inv.accepted_at) throw new AppError('invalid', 'accounts.invite.used');
  if (inv.expires_at <= ctx.clock.now()) throw new AppError('invalid', 'accounts.invite.expired');
  const existing = await repo.findUserByEmail(ctx.db, inv.email);
  return { email: inv.email, roles: inv.roles, hasAccount: !!existing };
}

/**
 * Accepts an invitation: either the signed-in user whose address it was sent to, or a new account created
 * with the invited address (the mail proved it). Grants the roles and opens a session for new accounts.
 */
export async function acceptInvitation(
  ctx: AppContext,
  actor: Actor,
  input: { token: string; displayName?: string; password?: string },
  meta: RequestMeta = {},
): Promise<{ sessionToken: string | null }> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction().execute(async (trx) => {
    const inv = await repo.findInvitationForUpdate(trx, hashToken(input.token));
    const now = ctx.clock.now();
    if (!inv || inv.territory_id !== actor.territoryId) throw new AppError('invalid', 'accounts.invite.unknown');
    if (inv.accepted_at) throw new AppError('invalid', 'accounts.invite.used');
    if (inv.expires_at <= now) throw new AppError('invalid', 'accounts.invite.expired');
    let user = await repo.findUserByEmail(trx, inv.email);
    let sessionToken: string | null = null;
    if (user) {
      if (actor.userId !== user.id) throw new AppError('forbidden', 'accounts.invite.loginFirst');
    } else {
      if (!passwordHash || !input.displayName) throw new AppError('invalid', 'errors.invalid');
      const created = await repo.insertUser(trx, { email: inv.email, passwordHash, displayName: input.displayName, locale: 'fr', verifiedAt: now, createdAt: now, territoryId: inv.territory_id });
      user = await repo.findUserById(trx, created.id);
      sessionToken = await openSession(trx, ctx, created.id, meta);
    }
    await repo.grantRoles(trx, inv.territory_id, user!.id, inv.roles, inv.invited_by, now);
    await repo.markInvitationAccepted(trx, inv.id, user!.id, now);
    await recordAudit(trx, ctx, { userId: user!.id, territoryId: inv.territory_id }, { action: 'invitation.accepted', subjectType: 'invitation', subjectId: inv.id, data: { roles: inv.roles } });
    return { sessionToken };
  });
}

export async function setRoles(ctx: AppContext, actor: Actor, userId: string, roles: Role[]) {
  assertAdmin(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const target = /^[0-9a-f-]{36}$/.test(userId) ? await repo.findUserInTerritory(trx, userId, actor.territoryId) : undefined;
    if (!target) throw new AppError('not_found', 'errors.not_found.text');
    const current = await repo.rolesOf(trx, actor.territoryId, userId);
    const wanted = [...new Set(roles)];
    const added = wanted.filter((r) => !current.includes(r));
    const removed = current.filter((r) => !wanted.includes(r));
    if (userId === actor.userId && removed.includes('admin')) {
      throw new AppError('invalid', 'accounts.roles.keepOwnAdmin', { roles: 'accounts.roles.keepOwnAdmin' });
    }
    const now = ctx.clock.now();
    await repo.grantRoles(trx, actor.territoryId, userId, added, actor.userId, now);
    await repo.revokeRoles(trx, actor.territoryId, userId, removed);
    for (const role of added) await recordAudit(trx, ctx, actor, { action: 'role.granted', subjectType: 'user', subjectId: userId, data: { role } });
    for (const role of removed) await recordAudit(trx, ctx, actor, { action: 'role.revoked', subjectType: 'user', subjectId: userId, data: { role } });
  });
  sessionCacheOf(ctx)?.forgetAccount(userId);
}

/**
 * Creates (or promotes) the first admin of a real deployment from the command line and mails a link to
 * choose a password. Returns the link too, for a server without SMTP.
 */
export async function createAdmin(ctx: AppContext, email: string, displayName = 'Administrateur') {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    let user = await repo.findUserByEmail(trx, email);
    if (!user) {
      const created = await repo.insertUser(trx, { email, passwordHash: null, displayName, locale: 'fr', createdAt: now, territoryId: ctx.territory.id });
      user = await repo.findUserById(trx, created.id);
    }
    await repo.grantRoles(trx, ctx.territory.id, user!.id, ['admin', 'staff'], null, now);
    const { token, hash } = newToken();
    await repo.expireEmailTokens(trx, user!.id, 'reset_password', now);
    await repo.insertEmailToken(trx, { tokenHash: hash, userId: user!.id, purpose: 'reset_password', now, expiresAt: new Date(now.getTime() + 7 * DAY) });
    const url = link(ctx, `/mot-de-passe-oublie/nouveau?jeton=${token}`);
    await mailUser(trx, ctx, email, 'fr', 'reset', { link: url });
    await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'role.granted', subjectType: 'user', subjectId: user!.id, data: { role: 'admin', via: 'cli' } });
    return { userId: user!.id, link: url };
  });
}
