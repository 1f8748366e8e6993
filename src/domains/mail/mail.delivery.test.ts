/**
 * Delivery through a real SMTP server started in the test (smtp-server on 127.0.0.1): the outbox, the job
 * and nodemailer together, including the server being down and two workers racing for the same mail.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createTestWorld, isPostgresRun, type TestWorld } from '../../../tests/support/context.js';
import { Agent } from '../../../tests/support/agent.js';
import { createUser } from '../../../tests/support/factories.js';
import { jobHandlers, jobLanes } from '../../modules.js';
import { BACKUP_JOB } from '../../jobs/backup.js';
import { PURGE_JOB } from '../../jobs/maintenance.js';
import { backoffMs, claimJobs, enqueueJob } from '../../jobs/queue.js';
import { JobWorker } from '../../jobs/worker.js';
import { MINUTE } from '../../shared/time.js';
import { deliverMailJob, messageIdFor, queueMail, queueTemplatedMail } from './index.js';
import { SENDING_LEASE } from './mail.deliver.js';
import { SMTP_TIMEOUTS } from './mail.transport.js';

const JOB_LEASE = 5 * MINUTE; // the worker's default

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server that keeps what it receives; addresses containing "refuse" are rejected (550). */
class TestSmtp {
  readonly received: Received[] = [];
  private server: SMTPServer | null = null;

  constructor(readonly port: number) {}

  start() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address.includes('refuse')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    return new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  stop() {
    const server = this.server;
    this.server = null;
    return new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

/** A port nobody listens on (yet): taken from the system, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim();

let w: TestWorld;
let smtp: TestSmtp;
before(async () => {
  const port = await freePort();
  smtp = new TestSmtp(port);
  w = await createTestWorld({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Soho Solo Gers <accueil@exemple.fr>' });
});
after(() => w.close());
beforeEach(async () => {
  await w.reset();
  smtp.received.length = 0;
});
afterEach(() => smtp.stop());

const mailRow = (id: string) => w.ctx.db.selectFrom('outbox_mail').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const jobOf = (mailId: string) => w.ctx.db.selectFrom('job').selectAll().where('dedupe_key', '=', `mail:${mailId}`).executeTakeFirstOrThrow();
const worker = () => new JobWorker(w.ctx, jobHandlers);

async function queueInTransaction(to: string, subject = 'Bienvenue dans le Gers') {
  return w.ctx.db.transaction().execute((trx) => queueMail(trx, w.ctx, { to, subject, text: 'Bonjour,\n\nVotre dossier est ouvert.\n' }));
}

describe('mail delivery over SMTP', () => {
  test('a mail queued in a committed transaction is delivered once, with its recipient, subject and a Message-ID from its outbox id', async () => {
    await smtp.start();
    const id = await queueInTransaction('anne@exemple.fr');
    assert.equal((await mailRow(id)).state, 'pending');

    assert.equal(await worker().runOnce(), 1);
    assert.equal(smtp.received.length, 1);
    const [mail] = smtp.received;
    assert.deepEqual(mail.to, ['anne@exemple.fr']);
    assert.equal(mail.from, 'accueil@exemple.fr');
    assert.equal(header(mail.raw, 'Subject'), 'Bienvenue dans le Gers');
    assert.equal(header(mail.raw, 'To'), 'anne@exemple.fr');
    assert.equal(header(mail.raw, 'Message-ID'), `<${id}@localhost>`);
    assert.equal(messageIdFor(id, w.ctx.config.baseUrl), `<${id}@localhost>`);
    assert.match(mail.raw, /Votre dossier est ouvert/);

    const row = await mailRow(id);
    assert.equal(row.state, 'sent');
    assert.equal(row.attempts, 1);
    assert.equal(row.message_id, `<${id}@localhost>`);
    assert.deepEqual(row.sent_at, w.clock.now());
    assert.equal((await jobOf(id)).state, 'done');

    w.clock.advance(60 * MINUTE);
    assert.equal(await worker().runOnce(), 0);
    assert.equal(smtp.received.length, 1, 'nothing is sent twice');
  });

  test('a templated mail’s attachment (an event’s .ics) is kept with the mail and sent with it', async () => {
    await smtp.start();
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Atelier é\r\nEND:VCALENDAR\r\n';
    const id = await w.ctx.db.transaction().execute((trx) =>
      queueTemplatedMail(trx, w.ctx, { to: 'anne@exemple.fr', locale: 'fr', template: 'events.mail.confirmed', params: { name: 'Anne', event: 'Atelier', when: 'demain', seats: 1 }, path: '/agenda', attachments: [{ filename: 'atelier.ics', contentType: 'text/calendar; charset=utf-8', content: ics }] }),
    );
    const row = await mailRow(id);
    assert.equal(row.attachments.length, 1);
    assert.equal(Buffer.from(row.attachments[0].content, 'base64').toString('utf8'), ics);
    await worker().runOnce();
    const [mail] = smtp.received;
    assert.match(mail.raw, /Content-Type: multipart\/mixed/i);
    assert.match(mail.raw, /filename=("?)atelier\.ics\1/);
    assert.match(mail.raw, /Content-Type: text\/calendar/i);
    const b64 = /filename=.*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n--/s.exec(mail.raw)?.[1];
    assert.ok(b64, 'the attachment is in the message');
    assert.equal(Buffer.from(b64.replace(/\s/g, ''), 'base64').toString('utf8'), ics);
  });

  test('a mail one may stop receiving is sent with a one-click List-Unsubscribe; other mails carry none', async () => {
    await smtp.start();
    const link = `${w.ctx.config.baseUrl}/adherents/desabonnement/x/y`;
    await w.ctx.db.transaction().execute(async (trx) => {
      await queueMail(trx, w.ctx, { to: 'anne@exemple.fr', subject: 'Apéro', text: 'Jeudi', listUnsubscribe: link });
      await queueMail(trx, w.ctx, { to: 'bruno@exemple.fr', subject: 'Reçu', text: 'Merci' });
    });
    await worker().runOnce();
    const byTo = (to: string) => smtp.received.find((m) => m.to.includes(to))!.raw;
    assert.ok(byTo('anne@exemple.fr').includes(`List-Unsubscribe: <${link}>`));
    assert.match(byTo('anne@exemple.fr'), /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    assert.doesNotMatch(byTo('bruno@exemple.fr'), /List-Unsubscribe/);
  });

  test('a mail queued in a transaction that rolls back never exists', async () => {
    await smtp.start();
    await assert.rejects(
      w.ctx.db.transaction().execute(async (trx) => {
        await queueMail(trx, w.ctx, { to: 'bo@exemple.fr', subject: 'Jamais', text: 'Jamais envoyé' });
        throw new Error('the change that caused the mail failed');
      }),
      /the change that caused the mail failed/,
    );
    assert.deepEqual(await w.ctx.db.selectFrom('outbox_mail').select('id').execute(), []);
    assert.deepEqual(await w.ctx.db.selectFrom('job').select('id').execute(), []);
    assert.equal(await worker().runOnce(), 0);
    assert.equal(smtp.received.length, 0);
  });

  test('while the SMTP server is down the mail waits with its error, then goes out exactly once when it is back', async () => {
    const id = await queueInTransaction('chloe@exemple.fr');
    const started = w.clock.now();
    assert.equal(await worker().runOnce(), 1);

    const waiting = await mailRow(id);
    assert.equal(waiting.state, 'pending');
    assert.equal(waiting.attempts, 1);
    assert.match(waiting.last_error ?? '', /ECONNREFUSED|connect/i);
    const job = await jobOf(id);
    assert.equal(job.state, 'pending');
    assert.equal(job.attempts, 1);
    assert.equal(job.run_at.getTime(), started.getTime() + backoffMs(1));
    assert.ok(job.last_error);

    await smtp.start();
    assert.equal(await worker().runOnce(), 0, 'the retry waits for its backoff');
    assert.equal(smtp.received.length, 0);
    w.clock.advance(backoffMs(1));
    assert.equal(await worker().runOnce(), 1);
    assert.equal(smtp.received.length, 1);
    assert.equal(header(smtp.received[0].raw, 'Message-ID'), `<${id}@localhost>`);
    const sent = await mailRow(id);
    assert.equal(sent.state, 'sent');
    assert.equal(sent.attempts, 2);
    assert.equal(sent.last_error, null);
    assert.equal((await jobOf(id)).state, 'done');

    w.clock.advance(60 * MINUTE);
    await worker().runOnce();
    assert.equal(smtp.received.length, 1);
  });

  test('two workers racing over the same mails deliver each one exactly once', async () => {
    await smtp.start();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await queueInTransaction(`solo${i}@exemple.fr`));
    const a = worker();
    const b = worker();
    for (let round = 0; round < 10; round++) {
      const ran = await Promise.all([a.runOnce(), b.runOnce()]);
      if (ran[0] + ran[1] === 0) break;
    }
    assert.deepEqual(smtp.received.map((m) => m.to[0]).sort(), ids.map((_, i) => `solo${i}@exemple.fr`).sort());
    const states = await w.ctx.db.selectFrom('outbox_mail').select(['state', 'attempts']).execute();
    assert.ok(states.every((s) => s.state === 'sent' && s.attempts === 1));
  });

  test('the same delivery run twice at once (a lease taken over mid-send) still sends one mail', async () => {
    await smtp.start();
    const id = await queueInTransaction('dora@exemple.fr');
    const [first] = await claimJobs(w.ctx.db, 'worker-a', w.clock.now(), MINUTE);
    const second = { ...first, locked_by: 'worker-b' };
    // Whichever reads the mail second either finds it sent or, while the first is still talking to the server, says
    // so (MailBeingSentError: its job comes back later); on PostgreSQL both interleavings happen.
    const results = await Promise.allSettled([deliverMailJob(w.ctx, first), deliverMailJob(w.ctx, second)]);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as Error).name, 'MailBeingSentError');
    assert.ok(results.some((r) => r.status === 'fulfilled'), 'one delivery went through');
    assert.equal(smtp.received.length, 1);
    assert.equal((await mailRow(id)).state, 'sent');
  });

  test('a mail caught by a crash while sending is sent again with the same Message-ID once its lease lapses, and staff see the retry', async () => {
    await smtp.start();
    const id = await queueInTransaction('eve@exemple.fr');
    // The process took the job and the mail for sending, then died before the SMTP answer was recorded.
    const [held] = await claimJobs(w.ctx.db, 'worker-of-the-dead-process', w.clock.now(), JOB_LEASE);
    assert.equal(held.payload.mailId, id);
    await w.ctx.db
      .updateTable('outbox_mail')
      .set({ state: 'sending', attempts: 1, last_attempt_at: w.clock.now(), sending_until: new Date(w.clock.now().getTime() + SENDING_LEASE) })
      .where('id', '=', id)
      .execute();
    assert.equal(await worker().runOnce(), 0, 'the job is still leased to the dead worker');
    assert.equal(smtp.received.length, 0);

    w.clock.advance(JOB_LEASE);
    assert.equal(await worker().runOnce(), 1);
    assert.equal(smtp.received.length, 1, 'sent again once both leases have lapsed');
    assert.equal(header(smtp.received[0].raw, 'Message-ID'), `<${id}@localhost>`, 'the same Message-ID, so receivers can tell a duplicate');
    const row = await mailRow(id);
    assert.equal(row.state, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(row.lease_retries, 1);
    assert.equal((await jobOf(id)).state, 'done');
    w.clock.advance(60 * MINUTE);
    await worker().runOnce();
    assert.equal(smtp.received.length, 1, 'and never a third time');

    const admin = await createUser(w.ctx, { roles: ['admin'] });
    const agent = new Agent(w.app);
    await agent.login(admin.email, admin.password);
    assert.match((await agent.get('/admin/courriels')).body, /relancé après interruption \(1\)/);
    assert.match((await agent.get(`/admin/courriels/${id}`)).body, /Relances après interruption/);
  });

  test('a mail another delivery is still sending (lease running) is left alone and looked at again later', async () => {
    await smtp.start();
    const id = await queueInTransaction('eve.bis@exemple.fr');
    const until = new Date(w.clock.now().getTime() + 10 * MINUTE);
    await w.ctx.db.updateTable('outbox_mail').set({ state: 'sending', attempts: 1, last_attempt_at: w.clock.now(), sending_until: until }).where('id', '=', id).execute();
    assert.equal(await worker().runOnce(), 1);
    assert.equal(smtp.received.length, 0, 'not sent while the other delivery may still be talking to the server');
    assert.equal((await mailRow(id)).state, 'sending');
    const job = await jobOf(id);
    assert.equal(job.state, 'pending', 'the job comes back after its backoff');
    assert.match(job.last_error ?? '', /being sent/);
    w.clock.advance(10 * MINUTE);
    assert.equal(await worker().runOnce(), 1);
    assert.equal(smtp.received.length, 1);
    assert.equal((await mailRow(id)).lease_retries, 1);
  });

  test('an SMTP server that never answers holds up only mail: backup and purge still run, and each attempt ends in bounded time', async (t) => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket)); // accepts, never greets
    const port = await new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as net.AddressInfo).port)));
    const local = await createTestWorld({ smtpUrl: `smtp://127.0.0.1:${port}` });
    const wk = new JobWorker(local.ctx, jobHandlers, { lanes: jobLanes, pollMs: 20 });
    try {
      await local.reset();
      const now = local.clock.now();
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(await local.ctx.db.transaction().execute((trx) => queueMail(trx, local.ctx, { to: `lent${i}@exemple.fr`, subject: 'Bonjour', text: 'Bonjour' })));
      // Queued after the mails: with one queue for everything they would wait behind six silent conversations.
      const purge = (await enqueueJob(local.ctx.db, now, PURGE_JOB, {}))!;
      const backup = (await enqueueJob(local.ctx.db, now, BACKUP_JOB, {}))!;
      wk.start();
      const started = Date.now();
      const stateOf = async (id: number) => (await local.ctx.db.selectFrom('job').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
      const waitFor = async (done: () => Promise<boolean>, ms: number) => {
        for (const end = Date.now() + ms; !(await done()) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
      };
      await waitFor(async () => (await stateOf(purge)) === 'done', 30_000);
      assert.equal(await stateOf(purge), 'done', 'the purge ran');
      const meanwhile = await local.ctx.db.selectFrom('outbox_mail').select(['state', 'last_error']).execute();
      // Before the client's greeting timeout no attempt can have ended, so the purge did not wait for one. On a machine
      // so loaded that the purge itself took longer, the attempts may have ended first and the snapshot proves nothing.
      if (Date.now() - started < SMTP_TIMEOUTS.greetingTimeout) {
        assert.ok(meanwhile.some((m) => m.state === 'sending'), 'mails are waiting on the silent server meanwhile');
        assert.ok(meanwhile.every((m) => m.state !== 'sent' && m.last_error === null), 'the purge did not wait for any mail attempt to end');
      } else t.diagnostic(`the purge took ${Date.now() - started} ms on this loaded machine: longer than an SMTP attempt, so its independence is not observable here`);
      // The backup is longer (pg_dump on PostgreSQL), and does not wait for mail either.
      // (A test world on PostgreSQL has no DATABASE_URL for pg_dump: there the run ends in an error, but it ran.)
      const backupRun = () => local.ctx.db.selectFrom('job').select(['state', 'attempts', 'locked_by', 'last_error']).where('id', '=', backup).executeTakeFirstOrThrow();
      await waitFor(async () => {
        const b = await backupRun();
        return b.attempts > 0 && b.locked_by === null;
      }, 120_000);
      const b = await backupRun();
      assert.ok(b.attempts > 0 && b.locked_by === null, 'the backup ran');
      if (!isPostgresRun()) assert.equal(b.state, 'done', `the backup was written (${b.last_error ?? ''})`);
      // Bounded: the attempt gives up on the silent server and the mail waits for its retry with the reason.
      const bound = Date.now() + SMTP_TIMEOUTS.connectionTimeout + SMTP_TIMEOUTS.greetingTimeout + 10_000;
      let first = await local.ctx.db.selectFrom('outbox_mail').select(['state', 'last_error']).where('id', '=', ids[0]).executeTakeFirstOrThrow();
      while (first.state !== 'pending' && Date.now() < bound) {
        await new Promise((r) => setTimeout(r, 100));
        first = await local.ctx.db.selectFrom('outbox_mail').select(['state', 'last_error']).where('id', '=', ids[0]).executeTakeFirstOrThrow();
      }
      assert.equal(first.state, 'pending');
      assert.match(first.last_error ?? '', /greeting|timeout/i);
    } finally {
      for (const s of sockets) s.destroy();
      await wk.stop();
      silent.close();
      await local.close();
    }
  });

  test('a recipient the server refuses ends failed after the last attempt, with the server’s answer', async () => {
    await smtp.start();
    const id = await queueInTransaction('refuse@exemple.fr');
    await w.ctx.db.updateTable('job').set({ max_attempts: 2 }).execute();
    assert.equal(await worker().runOnce(), 1);
    assert.equal((await mailRow(id)).state, 'pending');
    w.clock.advance(backoffMs(1));
    assert.equal(await worker().runOnce(), 1);
    const row = await mailRow(id);
    assert.equal(row.state, 'failed');
    assert.equal(row.attempts, 2);
    assert.match(row.last_error ?? '', /550/);
    assert.equal((await jobOf(id)).state, 'failed');
    assert.equal(smtp.received.length, 0);
  });
});

describe('without SMTP_URL', () => {
  test('the mail is held in the outbox, readable, and nothing is sent', async () => {
    const local = await createTestWorld();
    try {
      await local.reset();
      const id = await local.ctx.db.transaction().execute((trx) => queueMail(trx, local.ctx, { to: 'fanny@exemple.fr', subject: 'Votre lien', text: 'Le lien : https://exemple.fr/x' }));
      assert.equal(await new JobWorker(local.ctx, jobHandlers).runOnce(), 1);
      const row = await local.ctx.db.selectFrom('outbox_mail').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.state, 'held');
      assert.equal(row.territory_id, local.ctx.territory.id);
      assert.equal(row.text_body, 'Le lien : https://exemple.fr/x');
      assert.equal(row.sent_at, null);
      const job = await local.ctx.db.selectFrom('job').selectAll().executeTakeFirstOrThrow();
      assert.equal(job.state, 'done');
    } finally {
      await local.close();
    }
  });
});
