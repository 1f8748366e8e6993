/**
 * Follow-up check-ins after settling: settling a case schedules them at 1, 6 and 12 months after the settled date; a
 * daily round mails the household on the due morning (Paris time) with a link to its page, and tells its adviser;
 * the household answers a short form there, or staff record an answer taken on the phone. The first answer of a
 * settled case moves it to "follow-up" through the named transition.
 */
import type { Actor, AppContext, Executor } from '../../../context.js';
import { completeWithin, enqueueJob, type ClaimedJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { recordAudit } from '../../audit/index.js';
import { findCaseOfContactForUpdate, lockCase, transitionLockedCase } from '../cases/index.js';
import * as repo from './followups.repo.js';
import { FOLLOWUP_MONTHS, type FollowUpAnswer } from './followups.schemas.js';
import { assertCaseStaff, assertSignedIn } from '../newcomers.policy.js';
import { parisDay, parisTime } from '../../../shared/time.js';
import { caseMailer, isRowId, isUuid, notFound, staffToNotify } from '../newcomers.common.js';

const mail = caseMailer('newcomers.followups.mail');

export const FOLLOWUP_ROUND_JOB = 'newcomers.followup_round';
/** The round runs in the morning, Paris time, so mails arrive with the day. */
const ROUND_HOUR = 8;


// ---------------------------------------------------------------------------------------------- dates

const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The same day `months` later; a day the month lacks becomes its last day (31 January + 1 month = 28 February). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return ymd(year, month, Math.min(d, last));
}

export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The check-in dates of a household settled on this (Paris) day. */
export const followUpDates = (settledOn: string) => FOLLOWUP_MONTHS.map((months) => ({ months, dueOn: addMonths(settledOn, months) }));

/**
 * Called by the settle transition, in its transaction: creates the three check-ins, or moves the unsent ones when the
 * case is settled again on another date. Never duplicates (unique per case and month offset).
 */
export const scheduleCaseFollowUps = (trx: Executor, territoryId: number, caseId: string, settledOn: string, now: Date) =>
  repo.scheduleFollowUps(trx, { territoryId, caseId, dates: followUpDates(settledOn), now });

/** For the case page and the household's page (both already checked who reads). */
export const caseFollowUps = (db: Executor, caseId: string) => repo.listFollowUps(db, caseId);

export type FollowUpRow = repo.FollowUpRow;

// ---------------------------------------------------------------------------------------------- mails

/** The adviser, or the whole team while nobody follows the case. */
// ---------------------------------------------------------------------------------------------- the daily round

const roundKey = (day: string) => `${FOLLOWUP_ROUND_JOB}:${day}`;

/** At start-up: makes sure today's round exists (this morning's, or right now when the server was down then). */
export function scheduleFollowUpRound(ctx: AppContext) {
  const now = ctx.clock.now();
  const today = parisDay(now);
  const at = parisTime(today, ROUND_HOUR);
  return enqueueJob(ctx.db, now, FOLLOWUP_ROUND_JOB, { day: today }, { runAt: at > now ? at : now, dedupeKey: roundKey(today), maxAttempts: 5 });
}

/**
 * Mails every check-in due today (or earlier, when a round was missed), marks it sent and schedules tomorrow's round,
 * all in one transaction with the job's completion: a round that runs twice sends nothing twice.
 */
export async function followUpRoundJob(ctx: AppContext, job: ClaimedJob) {
  const now = ctx.clock.now();
  const today = parisDay(now);
  const sent = await ctx.db.transaction().execute(async (trx) => {
    const due = await repo.listDueFollowUps(trx, ctx.territory.id, today);
    for (const f of due) {
      const p = { name: f.contact_name, number: f.number, months: f.month_offset };
      await mail(trx, ctx, f.email, f.locale, 'due', p, '/mon-projet#suivi');
      for (const person of await staffToNotify(trx, ctx, f.adviser_id)) {
        await mail(trx, ctx, person.email, person.locale, 'dueStaff', p, `/admin/accueil/${f.case_id}#suivi`);
      }
      await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, {
        action: 'case_followup.sent',
        subjectType: 'newcomer_case',
        subjectId: f.case_id,
        data: { followup: f.id, months: f.month_offset },
      });
    }
    await repo.markSent(trx, due.map((f) => f.id), now);
    const next = addDays(today, 1);
    await enqueueJob(trx, now, FOLLOWUP_ROUND_JOB, { day: next }, { runAt: parisTime(next, ROUND_HOUR), dedupeKey: roundKey(next), maxAttempts: 5 });
    await completeWithin(trx, job, now);
    return due.length;
  });
  ctx.log.info({ sent }, 'follow-up round done');
}

// ---------------------------------------------------------------------------------------------- answers

type LockedCase = NonNullable<Awaited<ReturnType<typeof lockCase>>>;

/**
 * Saves the answer; the first answer of a settled case moves it to "follow-up" through the named transition (dated
 * in the stage history, audited like any stage change). The comment stays out of the audit log.
 */
async function saveAnswer(trx: Executor, ctx: AppContext, actor: Actor & { userId: string }, c: LockedCase, followUpId: number, answer: FollowUpAnswer, channel: 'household' | 'phone') {
  const f = isRowId(followUpId) ? await repo.findFollowUpForUpdate(trx, c.id, followUpId) : undefined;
  if (!f) throw notFound();
  if (f.answered_at) throw new AppError('conflict', 'newcomers.followups.alreadyAnswered');
  const now = ctx.clock.now();
  if (channel === 'household' && !f.sent_at && f.due_on > parisDay(now)) throw new AppError('conflict', 'newcomers.followups.notYet');
  await repo.saveAnswer(trx, f.id, { ...answer, channel, by: actor.userId, now });
  await recordAudit(trx, ctx, actor, {
    action: 'case_followup.answered',
    subjectType: 'newcomer_case',
    subjectId: c.id,
    data: { followup: f.id, months: f.month_offset, channel },
  });
  if (c.stage === 'installe') await transitionLockedCase(trx, ctx, actor, c, 'follow_up');
  return f;
}

/** The household answers its check-in from its own page; its adviser is told by mail (a link, not the answers). */
export async function answerMyFollowUp(ctx: AppContext, actor: Actor, followUpId: number, answer: FollowUpAnswer) {
  assertSignedIn(actor);
  return ctx.db.transaction().execute(async (trx) => {
    const own = await findCaseOfContactForUpdate(trx, actor.territoryId, actor.userId);
    if (!own) throw new AppError('not_found', 'newcomers.my.none');
    const c = (await lockCase(trx, actor.territoryId, own.id))!;
    const f = await saveAnswer(trx, ctx, actor, c, followUpId, answer, 'household');
    if (c.adviser_id) {
      for (const person of await staffToNotify(trx, ctx, c.adviser_id)) {
        await mail(trx, ctx, person.email, person.locale, 'answered', { number: c.number, months: f.month_offset }, `/admin/accueil/${c.id}#suivi`);
      }
    }
  });
}

/** Staff record the answers a household gave on the phone. */
export async function recordFollowUpByPhone(ctx: AppContext, actor: Actor, caseId: string, followUpId: number, answer: FollowUpAnswer) {
  assertCaseStaff(actor);
  if (!isUuid(caseId)) throw notFound();
  return ctx.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, actor.territoryId, caseId);
    if (!c) throw notFound();
    await saveAnswer(trx, ctx, actor, c, followUpId, answer, 'phone');
  });
}
