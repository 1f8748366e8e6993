/**
 * A visitor's hold, shared by the rooms that let people without an account book (resources, appointments): the
 * slot is kept 30 minutes while they confirm with the link mailed to them; only the link's hash is stored.
 */
import { MINUTE } from '../../shared/time.js';
import { hashToken, newToken } from '../../shared/tokens.js';

export const HOLD_MINUTES = 30;

/** A new hold from `now`: the token for the mail's link, its hash for the row, and when it runs out. */
export function startHold(now: Date) {
  const { token, hash } = newToken();
  return { token, hash, until: new Date(now.getTime() + HOLD_MINUTES * MINUTE) };
}

/** The stored hash of a link's token, or null when the text cannot be one of our tokens. */
export const holdTokenHash = (token: string) => (/^[A-Za-z0-9_-]{20,100}$/.test(token) ? hashToken(token) : null);

/** A hold still running at `now`. */
export const holdIsLive = (row: { status: string; hold_until: Date | null }, now: Date) => row.status === 'held' && !!row.hold_until && row.hold_until > now;
