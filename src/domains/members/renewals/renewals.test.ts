import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { Agent } from '../../../../tests/support/agent.js';
import { isPostgresRun, useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { openContext } from '../../../bootstrap.js';
import type { AppContext } from '../../../context.js';
import { openDatabase } from '../../../db/database.js';
import { JobWorker } from '../../../jobs/worker.js';
import { jobHandlers } from '../../../modules.js';
import { hashPassword } from '../../accounts/index.js';
import { recordPayment } from '../dues/index.js';
import { addDays, addMonths } from '../members.common.js';
import { approvedMember, makePlan } from '../members.testing.js';
import { dueOffset, REMINDER_ROUND_JOB, runReminderRound, saveReminderSettings, scheduleReminderRound } from './renewals.service.js';

const w = useTestWorld();

const EMAIL = 'camille.dubois@exemple.fr';
const reminderMails = (ctx: AppContext = w.ctx) =>
  ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', EMAIL).where('subject', 'like', 'Votre adhésion a%').orderBy('created_at').execute();

async function staffActor() {
  const user = await createUser(w.ctx, { roles: ['staff'], email: 'equipe@exemple.fr' });
  return actorFor(w.ctx, user, ['staff']) as ReturnType<typeof actorFor> & { userId: string };
}

/** A member on a twelve-month plan whose period ends in `days` days (paid twelve months before). */
async function memberExpiringIn(days: number) {
  const staff = await staffActor();
  const planId = await makePlan(w.ctx, { period: 'twelve_months' });
  const today = '2026-11-27';
  const paidOn = addDays(addMonths(addDays(today, days + 1), -12), 0);
  w.clock.set(`${paidOn}T10:00:00Z`);
  const m = await approvedMember(w.ctx, staff, planId, {}, paidOn);
  w.clock.set(`${today}T08:00:00Z`);
  assert.equal(m.payment!.endsOn, addDays(today, days));
  return { ...m, staff, planId };
}

/** The same database opened again, as after a restart: a dump reloaded (PGlite) or a new pool (PostgreSQL). */
async function reopened(): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  let database;
  if (isPostgresRun()) {
    const name = (await sql<{ n: string }>`select current_database() as n`.execute(w.ctx.db)).rows[0].n;
    const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.pathname = `/${name}`;
    database = await openDatabase({ databaseUrl: url.toString() });
  } else {
    database = await openDatabase({ memory: true, loadDataDir: await w.database.pglite!.dumpDataDir() });
  }
  const ctx = await openContext(w.ctx.config, { database, clock: w.clock, log: pino({ level: 'silent' }) as unknown as AppContext['log'] });
  return { ctx, close: () => database.close() };
}

describe('which reminder is due', () => {
  test('the latest offset whose day has come, within a week of lateness', () => {
    const offsets = [30, 7, -7];
    assert.equal(dueOffset(offsets, '2026-12-27', '2026-11-26'), null);
    assert.equal(dueOffset(offsets, '2026-12-27', '2026-11-27'), 30);
    assert.equal(dueOffset(offsets, '2026-12-27', '2026-12-20'), 7);
    assert.equal(dueOffset(offsets, '2026-12-27', '2027-01-03'), -7);
    assert.equal(dueOffset(offsets, '2026-12-27', '2027-01-11'), null, 'more than a week late: not sent');
  });
});

describe('the reminder round', () => {
  test('a member expiring in 30 days gets exactly one reminder, whatever the number of rounds and restarts', async () => {
    const m = await memberExpiringIn(30);
    assert.equal(await runReminderRound(w.ctx), 1);
    assert.equal(await runReminderRound(w.ctx), 0);
    // Through the job system: today's round, twice scheduled, runs once and sends nothing more.
    await scheduleReminderRound(w.ctx);
    await scheduleReminderRound(w.ctx);
    w.clock.set('2026-11-27T09:00:00Z');
    const worker = new JobWorker(w.ctx, jobHandlers);
    for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++);
    const mails = await reminderMails();
    assert.equal(mails.length, 1);
    assert.equal(mails[0].subject, 'Votre adhésion arrive à échéance le 27 décembre 2026');
    assert.match(mails[0].text_body, /http:\/\/localhost:3000\/adherer\/renouveler/);
    const round = await w.ctx.db.selectFrom('job').select(['state']).where('kind', '=', REMINDER_ROUND_JOB).where('dedupe_key', '=', `${REMINDER_ROUND_JOB}:2026-11-27`).execute();
    assert.deepEqual(round, [{ state: 'done' }]);
    const tomorrow = await w.ctx.db.selectFrom('job').select('run_at').where('dedupe_key', '=', `${REMINDER_ROUND_JOB}:2026-11-28`).executeTakeFirstOrThrow();
    assert.equal(tomorrow.run_at.toISOString(), '2026-11-28T08:00:00.000Z', '9:00 in Paris');

    // After a restart: the round runs again on the reopened database and sends nothing more.
    const again = await reopened();
    try {
      assert.equal(await runReminderRound(again.ctx), 0);
      assert.equal((await reminderMails(again.ctx)).length, 1);
      // A week before expiry, the second reminder goes, once.
      w.clock.set('2026-12-20T09:00:00Z');
      assert.equal(await runReminderRound(again.ctx), 1);
      assert.equal(await runReminderRound(again.ctx), 0);
      const reminders = await again.ctx.db.selectFrom('member_reminder').select(['offset_days']).where('member_id', '=', m.memberId).orderBy('offset_days', 'desc').execute();
      assert.deepEqual(reminders.map((r) => r.offset_days), [30, 7]);
    } finally {
      await again.close();
    }
  });

  test('the member follows the link and renews; once the dues are recorded, the new period has no reminder due', async () => {
    const m = await memberExpiringIn(30);
    await runReminderRound(w.ctx);
    await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', EMAIL).execute();
    const agent = new Agent(w.app);
    await agent.login(EMAIL, PASSWORD);
    const page = await agent.get('/adherer/renouveler');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Expire bientôt/);
    const res = await agent.post('/adherer/renouveler', { planId: String(m.planId) });
    assert.equal(res.statusCode, 303);
    const staffMail = await w.ctx.db.selectFrom('outbox_mail').select('subject').where('to_address', '=', 'equipe@exemple.fr').where('subject', 'like', 'Renouvellement%').execute();
    assert.equal(staffMail.length, 1);
    const paid = await recordPayment(w.ctx, m.staff, m.memberId, { method: 'cheque', amountCents: 3000, paidOn: '2026-11-27' });
    assert.deepEqual([paid.startsOn, paid.endsOn], ['2026-12-28', '2027-12-27'], 'renewing early starts the day after the current period');
    const member = await w.ctx.db.selectFrom('member').select('renewal_requested_at').where('id', '=', m.memberId).executeTakeFirstOrThrow();
    assert.equal(member.renewal_requested_at, null);
    w.clock.set('2026-12-20T09:00:00Z');
    assert.equal(await runReminderRound(w.ctx), 0, 'the old period’s 7-day reminder is not sent: the new period is the latest');
    assert.match((await agent.get('/compte/adhesion')).body, /Actif/);
  });

  test('the team sees on the member page who was reminded and when', async () => {
    const m = await memberExpiringIn(7);
    await runReminderRound(w.ctx);
    const agent = new Agent(w.app);
    await agent.login('equipe@exemple.fr', PASSWORD);
    const page = await agent.get(`/admin/adherents/${m.memberId}`);
    assert.match(page.body, /7 jour\(s\) avant l’échéance/);
    assert.match(page.body, /27 novembre 2026, 9 h 00/);
  });

  test('admins set the offsets; a mistake is a 422; the team and members cannot', async () => {
    const admin = await createUser(w.ctx, { roles: ['admin'], email: 'admin@exemple.fr' });
    const agent = new Agent(w.app);
    await agent.login(admin.email, admin.password);
    assert.match((await agent.get('/admin/adherents/relances')).body, /value="30, 7, -7"/);
    assert.equal((await agent.post('/admin/adherents/relances', { offsets: '15, trois' })).statusCode, 422);
    assert.equal((await agent.post('/admin/adherents/relances', { offsets: '1, 2, 3, 4, 5, 6, 7' })).statusCode, 422);
    assert.equal((await agent.post('/admin/adherents/relances', { offsets: '-3 ; 14' })).statusCode, 303);
    assert.match((await agent.get('/admin/adherents/relances')).body, /value="14, -3"/);
    const staff = await staffActor();
    assert.equal(await codeOf(saveReminderSettings(w.ctx, staff, [10])), 'forbidden');
    // The new window: 14 days.
    const m = await approvedMember(w.ctx, staff, await makePlan(w.ctx, { name: 'Autre' }), { email: 'x@exemple.fr' }, '2025-12-10');
    assert.equal(m.payment!.endsOn, '2026-12-09');
    assert.match((await agent.get(`/admin/adherents/${m.memberId}`)).body, /Expire bientôt/);
  });
});
