/**
 * The member card: name, number, plan, validity and a QR code of the public verification link. The link carries
 * the card's unguessable token, not the member number, so nobody can walk through the numbers; the verification
 * page tells only "valid until <date>" or "not valid", never who it is.
 */
import QRCode from 'qrcode';
import type { Actor, AppContext } from '../../../context.js';
import { reminderWindow, statusOf, today } from '../members.common.js';
import { assertSignedIn } from '../members.policy.js';
import { findMemberByCardToken, findMemberOfUser, getReminderOffsets } from '../members.repo.js';

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

export const verificationUrl = (ctx: AppContext, token: string) => `${ctx.config.baseUrl}/adherents/verifier/${token}`;

/** The signed-in person's card, or null when they hold no membership. */
export async function getMyCard(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const member = await findMemberOfUser(ctx.db, actor.territoryId, actor.userId);
  if (!member) return null;
  const offsets = await getReminderOffsets(ctx.db, actor.territoryId);
  const status = statusOf(member.state, member.valid_until, today(ctx), reminderWindow(offsets));
  const url = verificationUrl(ctx, member.card_token);
  const qrSvg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#1f2a24', light: '#ffffff' } });
  return { member, status, url, qrSvg };
}

/** What the public verification page may say: the last valid day while the card is valid, else nothing. */
export async function verifyCard(ctx: AppContext, token: string): Promise<{ validUntil: string | null }> {
  if (!TOKEN.test(token)) return { validUntil: null };
  const m = await findMemberByCardToken(ctx.db, ctx.territory.id, token);
  if (!m || m.state !== 'approved' || !m.valid_until || m.valid_until < today(ctx)) return { validUntil: null };
  return { validUntil: m.valid_until };
}
