/**
 * Small pieces every newcomer use case shares: checking ids as they arrive in URLs, the "not found" answer, the
 * mails of the journey (text from the catalogue, a link, the signature; never private text) and who hears about a
 * household's news.
 */
import type { AppContext, Executor } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import type { Locale } from '../../web/i18n/index.js';
import { listUsersWithAnyRole } from '../accounts/index.js';
import { queueTemplatedMail } from '../mail/index.js';
import { ROLE_GROUPS } from '../../shared/roles.js';

/** Ids of serial rows as they arrive in URLs: anything else cannot exist (and must not reach the database). */
export { isRowId, isUuid } from '../../shared/input.js';
export const notFound = () => new AppError('not_found', 'errors.not_found.text');

export type CaseMail = (db: Executor, ctx: AppContext, to: string, locale: Locale, kind: string, params: Record<string, string | number>, path: string) => Promise<void>;

/** A mail of one part of the journey (`<prefix>.<kind>` in the catalogue), queued in the caller's transaction. */
export const caseMailer =
  (prefix: string): CaseMail =>
  async (db, ctx, to, locale, kind, params, path) => {
    await queueTemplatedMail(db, ctx, { to, locale, template: `${prefix}.${kind}`, params, path });
  };

/** Who hears about a household's news: its adviser, or the whole welcome team while nobody follows it. */
export async function staffToNotify(db: Executor, ctx: AppContext, adviserId: string | null) {
  const staff = await listUsersWithAnyRole(db, ctx.territory.id, ROLE_GROUPS.team);
  const adviser = adviserId ? staff.find((s) => s.id === adviserId) : undefined;
  return adviser ? [adviser] : staff;
}
