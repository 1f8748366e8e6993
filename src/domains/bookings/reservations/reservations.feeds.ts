/**
 * Calendar feeds of bookings. A resource's feed tells anyone when it is taken or closed (periods drawn from the one
 * availability function: no names, no notes; a closure with its public reason, a public holiday with its name), so a
 * team or a partner can see it in their calendar. A person's feed
 * lists their own bookings behind a secret address: created, renewed (the old one stops working) and revoked from
 * "my bookings"; only its SHA-256 is kept, and a guessed or revoked secret is "not found". Other rooms add their own
 * rows to the person's feed (the appointments room: their appointments with an adviser), wired by the domain's
 * manifest so that this room does not depend on them.
 */
import type { Actor, AppContext } from '../../../context.js';
import { AppError } from '../../../shared/app-error.js';
import { hashToken, newToken } from '../../../shared/tokens.js';
import { addDays, parisDay, parisTime } from '../../../shared/time.js';
import { tFor, type Locale } from '../../../web/i18n/index.js';
import type { IcsEvent } from '../../events/index.js';
import { recordAudit } from '../../audit/index.js';
import { assertSignedIn } from '../bookings.policy.js';
import { findActiveResource } from '../resources/index.js';
import { availability } from './reservations.availability.js';
import { bookingIcsEvent, bookingsCalendar, busyCalendar, type FeedPeriod } from './reservations.ics.js';
import * as repo from './reservations.repo.js';
import { factsFor, familyOf, rulesOf } from './reservations.service.js';

/** The span of a resource's feed: a week back, four months ahead. */
const FEED_PAST_DAYS = 7;
const FEED_AHEAD_DAYS = 120;

/** A resource's busy and closed periods as iCalendar: runs of full slots, and runs of closed slots per reason, merged. */
export async function resourceFeed(ctx: AppContext, slug: string) {
  const r = await findActiveResource(ctx, { slug });
  if (!r) throw new AppError('not_found', 'bookings.errors.resourceNotFound');
  const today = parisDay(ctx.clock.now());
  const fromDay = addDays(today, -FEED_PAST_DAYS);
  const toDay = addDays(today, FEED_AHEAD_DAYS);
  const { related } = await familyOf(ctx.db, r);
  const facts = await factsFor(ctx.db, ctx, r, related, fromDay, toDay, 'member');
  // Every slot of the span is judged as if it were bookable now: past and far-off slots say "taken" all the same.
  const rules = { ...rulesOf(r), noticeMinutes: 0, memberHorizonDays: FEED_AHEAD_DAYS + FEED_PAST_DAYS + 2 };
  const days = availability(rules, fromDay, toDay, { ...facts, now: parisTime(fromDay, 0) });
  const t = tFor('fr');
  const periods: FeedPeriod[] = [];
  for (const { slots, holiday } of days) {
    for (const s of slots) {
      const title =
        s.state === 'full'
          ? t('bookings.feed.busy')
          : s.state === 'closed'
            ? s.closure ? t('bookings.feed.closedFor', { reason: s.closure }) : t('bookings.slot.closed')
            : s.state === 'holiday' && holiday
              ? t('bookings.feed.closedFor', { reason: t(`bookings.holiday.${holiday}`) })
              : null;
      if (!title) continue;
      const last = periods[periods.length - 1];
      if (last && last.title === title && last.end.getTime() === s.start.getTime()) last.end = s.end;
      else periods.push({ start: s.start, end: s.end, title, closed: s.state !== 'full' });
    }
  }
  return { slug: r.slug, body: busyCalendar(ctx, r, periods, t('bookings.feed.resourceName', { resource: r.name }), parisTime(today, 0)) };
}

/** What another room adds to a person's feed, for its owner as resolved from the secret. */
export type PersonalFeedExtra = (ctx: AppContext, userId: string, locale: Locale) => Promise<IcsEvent[]>;

/** The bookings of the person owning this secret (confirmed, and cancelled ones as cancelled), and the extras' rows, or null. */
export async function personalFeed(ctx: AppContext, token: string, extras: readonly PersonalFeedExtra[] = []) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const owner = await repo.findFeedUser(ctx.db, hashToken(token));
  if (!owner || owner.territory_id !== ctx.territory.id) return null;
  const t = tFor(owner.locale);
  const rows = await repo.listBookingsOfUser(ctx.db, ctx.territory.id, owner.user_id);
  const events = rows
    .filter((b) => b.kind === 'booking' && (b.status === 'confirmed' || b.status === 'cancelled'))
    .map((b) => bookingIcsEvent(ctx, { id: b.id, resourceName: b.resource_name, placeName: b.place_name, start: b.starts_at, end: b.ends_at, cancelled: b.status === 'cancelled', updatedAt: b.created_at }, t('bookings.ics.title', { resource: b.resource_name })));
  const more = await Promise.all(extras.map((extra) => extra(ctx, owner.user_id, owner.locale)));
  return bookingsCalendar(ctx, t('bookings.feed.personalName'), [...events, ...more.flat()]);
}

/** Whether the person has a feed, and since when (the address itself is shown only once, when made). */
export async function myFeedSince(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  return (await repo.findFeedOf(ctx.db, actor.userId))?.created_at ?? null;
}

/** A new secret address for the person's bookings feed; the old one stops working. Returned once, never stored. */
export async function renewMyBookingsFeed(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const { token, hash } = newToken(24);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertFeed(trx, actor.territoryId, actor.userId, hash, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'booking_feed.renewed', subjectType: 'user', subjectId: actor.userId });
  });
  return `${ctx.config.baseUrl}/reservations/flux/${token}.ics`;
}

export async function revokeMyBookingsFeed(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const res = await repo.deleteFeed(trx, actor.userId);
    if (Number(res.numDeletedRows)) await recordAudit(trx, ctx, actor, { action: 'booking_feed.revoked', subjectType: 'user', subjectId: actor.userId });
  });
}
