/** SQL for accounts: users, role grants, sessions, single-use mail tokens and invitations. */
import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../../context.js';
import type { DB, Role } from '../../db/schema.js';
import { holdAccounts } from './accounts.session-cache.js';

// Every write below to an existing account's row, roles or sessions holds the account in this process's session
// cache first (`holdAccounts`, decision 0033): until the database announces the change, its sessions are read anew.

export const findUserByEmail = (db: Executor, email: string) =>
  db.selectFrom('user_account').selectAll().where('email', '=', email).executeTakeFirst();

export const findUserById = (db: Executor, id: string) =>
  db.selectFrom('user_account').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertUser(
  db: Executor,
  u: { email: string; passwordHash: string | null; displayName: string; locale: 'fr' | 'en'; verifiedAt?: Date | null; createdAt: Date; demo?: boolean; territoryId?: number | null },
) {
  return db
    .insertInto('user_account')
    .values({
      demo: u.demo ?? false,
      territory_id: u.territoryId ?? null,
      email: u.email,
      password_hash: u.passwordHash,
      display_name: u.displayName,
      locale: u.locale,
      email_verified_at: u.verifiedAt ?? null,
      created_at: u.createdAt,
    })
    .returning(['id', 'email', 'display_name'])
    .executeTakeFirstOrThrow();
}

/** Inserts unless the address is taken (two applications at once); returns nothing when it was. */
export const insertUserIfAbsent = (
  db: Executor,
  u: { email: string; passwordHash: string | null; displayName: string; locale: 'fr' | 'en'; createdAt: Date; territoryId: number },
) =>
  db
    .insertInto('user_account')
    .values({ email: u.email, password_hash: u.passwordHash, display_name: u.displayName, locale: u.locale, created_at: u.createdAt, territory_id: u.territoryId })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id'])
    .executeTakeFirst();

/** Several accounts at once (an import): the addresses already taken are left as they are; returns the created ones. */
export const insertUsersIfAbsent = (db: Executor, users: { email: string; displayName: string; locale: 'fr' | 'en'; createdAt: Date; territoryId: number }[]) =>
  users.length === 0
    ? Promise.resolve([])
    : db
        .insertInto('user_account')
        .values(users.map((u) => ({ email: u.email, password_hash: null, display_name: u.displayName, locale: u.locale, created_at: u.createdAt, territory_id: u.territoryId })))
        .onConflict((oc) => oc.column('email').doNothing())
        .returning(['id'])
        .execute();

/** The accounts with these addresses (compared without case, as the column does). */
export const findUsersByEmails = (db: Executor, emails: string[]) =>
  emails.length === 0 ? Promise.resolve([]) : db.selectFrom('user_account').selectAll().where(sql<boolean>`email = any(${emails}::text[]::citext[])`).execute();

/** People holding any of these roles in the territory (e.g. the advisers a case can be given to). */
export const listUsersWithAnyRole = (db: Executor, territoryId: number, roles: readonly Role[]) =>
  db
    .selectFrom('user_account as u')
    .select(['u.id', 'u.email', 'u.display_name', 'u.locale'])
    .where('u.disabled_at', 'is', null)
    .where((eb) =>
      eb.exists(eb.selectFrom('role_grant as g').select('g.role').whereRef('g.user_id', '=', 'u.id').where('g.territory_id', '=', territoryId).where('g.role', 'in', roles)),
    )
    .orderBy('u.display_name')
    .execute();

export const updateUser = (
  db: Executor,
  id: string,
  patch: Partial<{ password_hash: string; display_name: string; locale: 'fr' | 'en'; email_verified_at: Date; disabled_at: Date | null }>,
) => {
  holdAccounts([id]);
  return db.updateTable('user_account').set(patch).where('id', '=', id).execute();
};

export async function rolesOf(db: Executor, territoryId: number, userId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('role_grant')
    .select('role')
    .where('territory_id', '=', territoryId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.role);
}

export async function grantRoles(db: Executor, territoryId: number, userId: string, roles: Role[], grantedBy: string | null, at: Date) {
  if (!roles.length) return;
  holdAccounts([userId]);
  await db
    .insertInto('role_grant')
    .values(roles.map((role) => ({ territory_id: territoryId, user_id: userId, role, granted_by: grantedBy, granted_at: at })))
    .onConflict((oc) => oc.columns(['territory_id', 'user_id', 'role']).doNothing())
    .execute();
}

/** The same roles to several accounts, in one statement. */
export async function grantRolesToUsers(db: Executor, territoryId: number, userIds: string[], roles: Role[], grantedBy: string | null, at: Date) {
  if (!roles.length || !userIds.length) return;
  holdAccounts(userIds);
  await db
    .insertInto('role_grant')
    .values(userIds.flatMap((userId) => roles.map((role) => ({ territory_id: territoryId, user_id: userId, role, granted_by: grantedBy, granted_at: at }))))
    .onConflict((oc) => oc.columns(['territory_id', 'user_id', 'role']).doNothing())
    .execute();
}

export const revokeRoles = (db: Executor, territoryId: number, userId: string, roles: Role[]) => {
  if (!roles.length) return Promise.resolve();
  holdAccounts([userId]);
  return db.deleteFrom('role_grant').where('territory_id', '=', territoryId).where('user_id', '=', userId).where('role', 'in', roles).execute();
};

/** Several sessions with their accounts in one query (the lookups of requests arriving together). */
export async function findSessionsWithUsers(db: Executor, tokenHashes: readonly string[], territoryId: number) {
  if (!tokenHashes.length) return [];
  return db
    .selectFrom('session as s')
    .innerJoin('user_account as u', 'u.id', 's.user_id')
    .select([
      's.token_hash',
      's.expires_at',
      's.last_seen_at',
      'u.id',
      'u.email',
      'u.display_name',
      'u.locale',
      'u.email_verified_at',
      'u.disabled_at',
      'u.demo',
      sql<Role[]>`coalesce((select array_agg(g.role order by g.role) from role_grant g where g.user_id = u.id and g.territory_id = ${territoryId}), '{}')`.as('roles'),
    ])
    .where('s.token_hash', 'in', tokenHashes)
    .execute();
}

export const insertSession = (db: Executor, s: { tokenHash: string; userId: string; now: Date; expiresAt: Date; userAgent?: string }) =>
  db
    .insertInto('session')
    .values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
      user_agent: s.userAgent?.slice(0, 300) ?? null,
    })
    .execute();

export const touchSession = (db: Executor, tokenHash: string, now: Date, expiresAt: Date) =>
  db.updateTable('session').set({ last_seen_at: now, expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();

export const deleteSession = (db: Executor, tokenHash: string) => db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();

export async function deleteSessionsOfUser(db: Executor, userId: string, exceptHash?: string) {
  holdAccounts([userId]);
  let q = db.deleteFrom('session').where('user_id', '=', userId);
  if (exceptHash) q = q.where('token_hash', '<>', exceptHash);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export const countSessionsOfUser = async (db: Executor, userId: string, now: Date) =>
  Number(
    (
      await db
        .selectFrom('session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('expires_at', '>', now)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const insertEmailToken = (
  db: Executor,
  t: { tokenHash: string; userId: string; purpose: 'verify_email' | 'reset_password'; now: Date; expiresAt: Date },
) =>
  db
    .insertInto('email_token')
    .values({ token_hash: t.tokenHash, user_id: t.userId, purpose: t.purpose, created_at: t.now, expires_at: t.expiresAt })
    .execute();

/** Locks the token row so two clicks on the same link cannot both use it. */
export const findEmailTokenForUpdate = (db: Executor, tokenHash: string) =>
  db.selectFrom('email_token').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();

export const markEmailTokenUsed = (db: Executor, tokenHash: string, now: Date) =>
  db.updateTable('email_token').set({ used_at: now }).where('token_hash', '=', tokenHash).execute();

/** A new link supersedes the older unused ones of the same purpose. */
export const expireEmailTokens = async (db: Executor, userId: string, purpose: 'verify_email' | 'reset_password', now: Date) => {
  const [result] = await db
    .updateTable('email_token')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
  return Number(result?.numUpdatedRows ?? 0);
};

/** Whether another link of this purpose was issued at that instant: the one that replaced an older link. */
export const hasOtherTokenIssuedAt = async (db: Executor, tokenHash: string, userId: string, purpose: 'verify_email' | 'reset_password', at: Date) =>
  !!(await db
    .selectFrom('email_token')
    .select('token_hash')
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '=', at)
    .where('token_hash', '!=', tokenHash)
    .executeTakeFirst());

export const insertInvitation = (
  db: Executor,
  i: { territoryId: number; tokenHash: string; email: string; roles: Role[]; invitedBy: string; now: Date; expiresAt: Date },
) =>
  db
    .insertInto('invitation')
    .values({
      territory_id: i.territoryId,
      token_hash: i.tokenHash,
      email: i.email,
      roles: sql<Role[]>`${sql.val(i.roles)}::text[]`,
      invited_by: i.invitedBy,
      created_at: i.now,
      expires_at: i.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const findInvitationForUpdate = (db: Executor, tokenHash: string) =>
  db.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();

export const findInvitation = (db: Executor, tokenHash: string) =>
  db.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const markInvitationAccepted = (db: Executor, id: string, userId: string, now: Date) =>
  db.updateTable('invitation').set({ accepted_at: now, accepted_by: userId }).where('id', '=', id).execute();

export const listInvitations = (db: Executor, territoryId: number) =>
  db
    .selectFrom('invitation as i')
    .leftJoin('user_account as u', 'u.id', 'i.invited_by')
    .select(['i.id', 'i.email', 'i.roles', 'i.created_at', 'i.expires_at', 'i.accepted_at', 'u.display_name as invited_by_name'])
    .where('i.territory_id', '=', territoryId)
    .orderBy('i.created_at', 'desc')
    .limit(50)
    .execute();

/**
 * The accounts a territory's administrators manage: those holding a role there, and those its site opened (sign-up,
 * application, invitation). An account of another territory comes in only through an invitation, accepted by its owner.
 */
const inTerritory = (territoryId: number) => (eb: ExpressionBuilder<DB & { u: DB['user_account'] }, 'u'>) =>
  eb.or([
    eb('u.territory_id', '=', territoryId),
    eb.exists(eb.selectFrom('role_grant as tg').select('tg.role').whereRef('tg.user_id', '=', 'u.id').where('tg.territory_id', '=', territoryId)),
  ]);

/** The account, if a territory's administrators may see it (see `inTerritory`). */
export const findUserInTerritory = (db: Executor, userId: string, territoryId: number) =>
  db.selectFrom('user_account as u').selectAll('u').where('u.id', '=', userId).where(inTerritory(territoryId)).executeTakeFirst();

export async function listUsersWithRoles(db: Executor, territoryId: number, opts: { search?: string; role?: Role; limit: number; offset: number }) {
  let q = db.selectFrom('user_account as u').where(inTerritory(territoryId));
  if (opts.search) {
    const like = `%${opts.search.replace(/[%_\\]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('u.email', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  if (opts.role) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_grant as g')
          .select('g.role')
          .whereRef('g.user_id', '=', 'u.id')
          .where('g.territory_id', '=', territoryId)
          .where('g.role', '=', opts.role!),
      ),
    );
  }
  const [rows, count] = await Promise.all([
    q
      .select([
        'u.id',
        'u.email',
        'u.display_name',
        'u.email_verified_at',
        'u.disabled_at',
        'u.created_at',
        sql<Role[]>`coalesce((select array_agg(g.role order by g.role) from role_grant g where g.user_id = u.id and g.territory_id = ${territoryId}), '{}')`.as('roles'),
      ])
      .orderBy('u.created_at', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

// ---------------------------------------------------------------------------------------------- demo accounts

export const markDemoAccounts = (db: Executor, userIds: string[]) => {
  if (!userIds.length) return Promise.resolve();
  holdAccounts(userIds);
  return db.updateTable('user_account').set({ demo: true }).where('id', 'in', userIds).execute();
};

/** Disables every demo account still active and closes its sessions; returns how many accounts were disabled. */
export async function disableDemoAccounts(db: Executor, now: Date) {
  holdAccounts(await listDemoAccountIds(db));
  const disabled = await db.updateTable('user_account').set({ disabled_at: now }).where('demo', '=', true).where('disabled_at', 'is', null).returning('id').execute();
  await db.deleteFrom('session').where('user_id', 'in', db.selectFrom('user_account').select('id').where('demo', '=', true)).execute();
  return disabled.length;
}

/** Demo mode asked for again: the demo accounts work again. */
export async function enableDemoAccounts(db: Executor) {
  holdAccounts(await listDemoAccountIds(db));
  return db.updateTable('user_account').set({ disabled_at: null }).where('demo', '=', true).where('disabled_at', 'is not', null).execute();
}

export const listDemoAccountIds = async (db: Executor) => (await db.selectFrom('user_account').select('id').where('demo', '=', true).execute()).map((r) => r.id);

export const deleteUser = (db: Executor, userId: string) => (holdAccounts([userId]), db).deleteFrom('user_account').where('id', '=', userId).executeTakeFirst();
