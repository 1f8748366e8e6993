/**
 * Renewals: admins set when reminders go (days before expiry, negative after); a daily round mails each reminder
 * due. A reminder is its `member_reminder` row, unique per period and offset, inserted in the same transaction as
 * its mail and the job's completion: whatever the number of rounds, workers or restarts, each is sent once. A
 * member asks to renew from the mail's link; the team is told and records the dues.
 */
import type { Actor, AppContext } from '../../../context.js';
import { completeWithin, enqueueJob, type ClaimedJob } from '../../../jobs/queue.js';
import { AppError } from '../../../shared/app-error.js';
import { ROLE_GROUPS } from '../../../shared/roles.js';
import { formatDay, parisTime } from '../../../shared/time.js';
import { listUsersWithAnyRole } from '../../accounts/index.js';
import { recordAudit } from '../../audit/index.js';
import { findPlan, listActivePlans } from '../plans/index.js';
import { addDays, mail, memberNumber, reminderWindow, statusOf, today } from '../members.common.js';
import { assertMembershipAdmin, assertSignedIn } from '../members.policy.js';
import { findMemberOfUser, getReminderOffsets } from '../members.repo.js';
import * as repo from './renewals.repo.js';

export const REMINDER_ROUND_JOB = 'members.reminder_round';
/** The round runs in the morning, Paris time, so mails arrive with the day. */
const ROUND_HOUR = 9;
/** A round missed for a few days (server down) still sends what fell due; older reminders are not worth sending. */
export const MAX_LATENESS_DAYS = 7;

const roundKey = (day: string) => `${REMINDER_ROUND_JOB}:${day}`;

// ---------------------------------------------------------------------------------------------- settings

export async function getReminderSettings(ctx: AppContext, actor: Actor) {
  assertMembershipAdmin(actor);
  return { offsets: await getReminderOffsets(ctx.db, actor.territoryId) };
}

export async function saveReminderSettings(ctx: AppContext, actor: Actor, offsets: number[]) {
  assertMembershipAdmin(actor);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.saveOffsets(trx, actor.territoryId, offsets, actor.userId, ctx.clock.now());
    await recordAudit(trx, ctx, actor, { action: 'member_settings.updated', subjectType: 'territory', subjectId: String(actor.territoryId), data: { reminderOffsets: offsets } });
  });
}

// ---------------------------------------------------------------------------------------------- the round

/** At start-up: makes sure today's round exists (this morning's, or right now when the server was down then). */
export function scheduleReminderRound(ctx: AppContext) {
  const now = ctx.clock.now();
  const day = today(ctx);
  const at = parisTime(day, ROUND_HOUR);
  return enqueueJob(ctx.db, now, REMINDER_ROUND_JOB, { day }, { runAt: at > now ? at : now, dedupeKey: roundKey(day), maxAttempts: 5 });
}

/**
 * Which reminder is due for a period ending on `endsOn`: among the offsets whose day has come (within the
 * lateness allowed), the latest one. An earlier one missed is not sent after a later one.
 */
export function dueOffset(offsets: readonly number[], endsOn: string, day: string): number | null {
  const due = offsets.filter((o) => {
    const on = addDays(endsOn, -o);
    return on <= day && on >= addDays(day, -MAX_LATENESS_DAYS);
  });
  return due.length ? Math.min(...due) : null;
}

/** One round, in the caller's transaction; returns how many reminders it sent. */
async function sendDueReminders(trx: Parameters<typeof getReminderOffsets>[0], ctx: AppContext): Promise<number> {
  const territoryId = ctx.territory.id;
  const day = today(ctx);
  const offsets = await getReminderOffsets(trx, territoryId);
  const from = addDays(day, Math.min(...offsets) - MAX_LATENESS_DAYS);
  const to = addDays(day, Math.max(...offsets));
  const now = ctx.clock.now();
  let sent = 0;
  for (const c of await repo.listRoundCandidates(trx, territoryId, from, to)) {
    const offset = dueOffset(offsets, c.ends_on, day);
    if (offset === null) continue;
    const id = await repo.insertReminder(trx, { territoryId, memberId: c.member_id, periodId: c.period_id, offsetDays: offset, now });
    if (id === null) continue;
    const intl = c.locale === 'en' ? 'en-GB' : 'fr-FR';
    const params = { name: `${c.first_name} ${c.last_name}`, number: memberNumber(c.number), date: formatDay(c.ends_on, intl), days: Math.abs(offset) };
    await mail(trx, ctx, c.email, c.locale, offset > 0 ? 'reminderBefore' : 'reminderAfter', params, '/adherer/renouveler');
    await recordAudit(trx, ctx, { userId: null, territoryId }, { action: 'member.reminder_sent', subjectType: 'member', subjectId: c.member_id, data: { offset, endsOn: c.ends_on } });
    sent++;
  }
  return sent;
}

/** Runs a round now, outside the job system (tests, a script). */
export const runReminderRound = (ctx: AppContext) => ctx.db.transaction().execute((trx) => sendDueReminders(trx, ctx));

/**
 * The daily job: sends what is due, schedules tomorrow's round and completes itself in one transaction, so a
 * round that runs twice sends nothing twice.
 */
export async function reminderRoundJob(ctx: AppContext, job: ClaimedJob) {
  const now = ctx.clock.now();
  const sent = await ctx.db.transaction().execute(async (trx) => {
    const n = await sendDueReminders(trx, ctx);
    const next = addDays(today(ctx), 1);
    await enqueueJob(trx, now, REMINDER_ROUND_JOB, { day: next }, { runAt: parisTime(next, ROUND_HOUR), dedupeKey: roundKey(next), maxAttempts: 5 });
    await completeWithin(trx, job, now);
    return n;
  });
  ctx.log.info({ sent }, 'member reminder round done');
}

// ---------------------------------------------------------------------------------------------- renewing

/** The renewal page: the member's membership, its status, and the plans to choose from. */
export async function getRenewalForm(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const member = await findMemberOfUser(ctx.db, actor.territoryId, actor.userId);
  if (!member) return { member: null, plans: [], status: null };
  const offsets = await getReminderOffsets(ctx.db, actor.territoryId);
  const status = statusOf(member.state, member.valid_until, today(ctx), reminderWindow(offsets));
  return { member, plans: await listActivePlans(ctx), status };
}

/** The member says they renew, with this plan; the team is told by mail and records the dues when paid. */
export async function requestRenewal(ctx: AppContext, actor: Actor, planId: number) {
  assertSignedIn(actor);
  const plan = await findPlan(ctx.db, actor.territoryId, planId);
  if (!plan || plan.archived_at) throw new AppError('invalid', 'errors.invalid', { planId: 'members.join.planUnknown' });
  await ctx.db.transaction().execute(async (trx) => {
    const member = await findMemberOfUser(trx, actor.territoryId, actor.userId);
    if (!member) throw new AppError('not_found', 'members.my.none');
    if (member.state !== 'approved') throw new AppError('conflict', 'members.renew.notApproved');
    const now = ctx.clock.now();
    await repo.setRenewalRequested(trx, member.id, plan.id, now);
    const params = { name: `${member.first_name} ${member.last_name}`, number: memberNumber(member.number), plan: plan.name };
    for (const person of await listUsersWithAnyRole(trx, actor.territoryId, ROLE_GROUPS.team)) {
      await mail(trx, ctx, person.email, person.locale, 'renewalStaff', params, `/admin/adherents/${member.id}`);
    }
    await recordAudit(trx, ctx, actor, { action: 'member.renewal_requested', subjectType: 'member', subjectId: member.id, data: { plan: plan.id } });
  });
}
