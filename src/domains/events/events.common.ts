/**
 * What the events domain's rooms share: the registration links sent by mail, the mails themselves, where an event
 * takes place in words, and an event as an iCalendar entry.
 *
 * A registration's link (`/agenda/inscription/<id>/<token>`) carries an HMAC of the registration's id under the
 * session secret: nothing to store, the same link in every mail about it, and no way to forge one for another
 * registration. What the link allows (confirming, claiming, cancelling) is then decided by the registration's state.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import type { AppContext, Executor } from '../../context.js';
import { isUuid } from '../../shared/input.js';
import { formatDate, formatDateTime } from '../../shared/time.js';
import { intlLocaleOf, type Locale } from '../../web/i18n/index.js';
import { queueTemplatedMail, queueTemplatedMails } from '../mail/index.js';
import { listThirdPlaceChoices, type ThirdPlaceChoice } from '../places/index.js';
import { buildCalendar, type IcsEvent } from './events.ics.js';
import { findEventCoreById, type EventCoreRow, type EventRow } from './events.repo.js';

/** The rows views and the API present (their SQL stays in the repo). */
export type { EventRow, EventTypeRow, RegistrationRow, UserRegistrationRow } from './events.repo.js';

export const registrationToken = (ctx: AppContext, id: string) => createHmac('sha256', ctx.config.sessionSecret).update(`event-registration:${id}`).digest('base64url');

export function isRegistrationToken(ctx: AppContext, id: string, token: string) {
  if (!isUuid(id) || !/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  return timingSafeEqual(Buffer.from(registrationToken(ctx, id)), Buffer.from(token));
}

export const registrationPath = (ctx: AppContext, id: string) => `/agenda/inscription/${id}/${registrationToken(ctx, id)}`;

/**
 * The check-in link of a registration (its QR code): another HMAC under another label, so the registration's own
 * link cannot be derived from it; it only lets the team tick the person present, and shows others nothing.
 */
export const checkinToken = (ctx: AppContext, id: string) => createHmac('sha256', ctx.config.sessionSecret).update(`event-checkin:${id}`).digest('base64url');

export function isCheckinToken(ctx: AppContext, id: string, token: string) {
  if (!isUuid(id) || !/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  return timingSafeEqual(Buffer.from(checkinToken(ctx, id)), Buffer.from(token));
}

export const checkinUrl = (ctx: AppContext, id: string) => `${ctx.config.baseUrl}/agenda/accueil/${id}/${checkinToken(ctx, id)}`;

/** The check-in link as a QR code (SVG drawn from our own URL: no text typed by anyone inside). */
export const checkinQrSvg = (ctx: AppContext, id: string) =>
  QRCode.toString(checkinUrl(ctx, id), { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#1f2a24', light: '#ffffff' } });

type Place = Pick<EventRow, 'place_kind' | 'third_place_id' | 'address' | 'commune_name'>;

/** "La Dynamo, 1 rue …, Lectoure", "12 place du Marché, Fleurance", "Marciac", or null online. */
export function placeText(e: Place, places: ReadonlyMap<number, ThirdPlaceChoice>): string | null {
  if (e.place_kind === 'third_place') {
    const p = e.third_place_id ? places.get(e.third_place_id) : undefined;
    return p ? [p.name, p.address, [p.postcode, p.communeName].filter(Boolean).join(' ')].filter(Boolean).join(', ') : null;
  }
  if (e.place_kind === 'address') return [e.address, e.commune_name].filter(Boolean).join(', ');
  if (e.place_kind === 'commune') return e.commune_name;
  return null;
}

/** When, in words, in the reader's language: "12 décembre 2026, 9 h 00" or the day(s) of an all-day event. */
export function whenText(e: { starts_at: Date; ends_at: Date; all_day: boolean }, locale: Locale): string {
  const intl = intlLocaleOf(locale);
  if (e.all_day) {
    const last = new Date(e.ends_at.getTime() - 1);
    const first = formatDate(e.starts_at, intl);
    const end = formatDate(last, intl);
    return first === end ? first : `${first} – ${end}`;
  }
  return formatDateTime(e.starts_at, intl);
}

export function icsEventOf(ctx: AppContext, e: EventCoreRow, places: ReadonlyMap<number, ThirdPlaceChoice>, opts: { withLink?: boolean } = {}): IcsEvent {
  const url = `${ctx.config.baseUrl}/agenda/${e.slug}`;
  const online = e.place_kind === 'online' && opts.withLink && e.online_url ? e.online_url : null;
  const description = [e.description_md, online].filter(Boolean).join('\n\n');
  return {
    uid: `event-${e.id}@${new URL(ctx.config.baseUrl).hostname || 'localhost'}`,
    title: e.title,
    description,
    location: online ?? placeText(e, places),
    url,
    startsAt: e.starts_at,
    endsAt: e.ends_at,
    allDay: e.all_day,
    cancelled: e.status === 'cancelled',
    updatedAt: e.updated_at,
    sequence: Math.max(0, Math.floor((e.updated_at.getTime() - e.created_at.getTime()) / 1000)),
  };
}

export const calendarOf = (ctx: AppContext, name: string, events: IcsEvent[]) =>
  buildCalendar({ name, prodId: `-//${ctx.territory.programmeName}//Agenda//FR`, events });

export const placesById = (places: ThirdPlaceChoice[]) => new Map(places.map((p) => [p.id, p]));

/** The third places, read in the caller's transaction (a read outside it would wait for it on PGlite's one connection). */
export const thirdPlacesIn = (db: Executor, ctx: AppContext) => listThirdPlaceChoices({ ...ctx, db: db as AppContext['db'] });

export interface MailRecipient {
  id: string;
  /** Null for a walk-in who gave no address: nothing is sent. */
  email: string | null;
  locale: 'fr' | 'en';
  name: string;
}

/**
 * A mail about one registration (`events.mail.<kind>` in the catalogue), queued in the caller's transaction, with
 * the registration's own link; a confirmation carries the event as an `.ics` file.
 */
export function registrationMail(db: Executor, ctx: AppContext, to: MailRecipient, kind: string, event: MailEvent, params: Record<string, string | number> = {}, ics?: string) {
  const [mail] = registrationMailItems(ctx, event, [{ to, kind, params, ics }]);
  return mail ? queueTemplatedMail(db, ctx, mail) : Promise.resolve(null);
}

type MailEvent = { title: string; slug: string; starts_at: Date; ends_at: Date; all_day: boolean };
type RegistrationMailOf = { to: MailRecipient; kind: string; params?: Record<string, string | number>; ics?: string };

/** The mails about registrations to one event, ready to queue. */
const registrationMailItems = (ctx: AppContext, event: MailEvent, mails: RegistrationMailOf[]) =>
  mails
    .filter((m) => m.to.email)
    .map(({ to, kind, params = {}, ics }) => ({
      to: to.email!,
      locale: to.locale,
      template: `events.mail.${kind}`,
      params: { name: to.name, event: event.title, when: whenText(event, to.locale), checkin: checkinUrl(ctx, to.id), ...params },
      link: `${ctx.config.baseUrl}${registrationPath(ctx, to.id)}`,
      attachments: ics ? [{ filename: `${event.slug}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }] : undefined,
    }));

/** Registration mails about one or several events in one statement (a group of registrations decided together). */
export function registrationMails(db: Executor, ctx: AppContext, batches: { event: MailEvent; mails: RegistrationMailOf[] }[]) {
  const mails = batches.flatMap(({ event, mails }) => registrationMailItems(ctx, event, mails));
  return mails.length ? queueTemplatedMails(db, ctx, mails) : Promise.resolve();
}

/** The event as an `.ics` file for a confirmation mail (read in the caller's transaction, online link included). */
export async function confirmationIcs(db: Executor, ctx: AppContext, eventId: number) {
  const e = await findEventCoreById(db, ctx.territory.id, eventId);
  // The third places are read only for an event held at one (the .ics names it).
  const places = e?.place_kind === 'third_place' ? await thirdPlacesIn(db, ctx) : [];
  return calendarOf(ctx, e!.title, [icsEventOf(ctx, e!, placesById(places), { withLink: true })]);
}

/** The one size of a cover image: the event's page and the previews others make of it (schema.org, link previews). */
export const COVER_SIZE = { width: 1200, height: 630 } as const;

/** The path of an event's cover image (its id changes with each upload, so it may be cached for good). */
export const coverPath = (coverId: string) => `/agenda/couvertures/${coverId}.webp`;
