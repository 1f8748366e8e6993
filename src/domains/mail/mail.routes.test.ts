import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../tests/support/agent.js';
import { useTestWorld } from '../../../tests/support/context.js';
import { createUser } from '../../../tests/support/factories.js';
import type { Role } from '../../db/schema.js';
import { jobHandlers } from '../../modules.js';
import { JobWorker } from '../../jobs/worker.js';
import { MINUTE } from '../../shared/time.js';
import { queueMail } from './index.js';
import { STUCK_SENDING_AFTER } from './mail.policy.js';
import { requeueHeldMails } from './mail.service.js';

const w = useTestWorld();

async function agentWith(roles: Role[]) {
  const user = await createUser(w.ctx, { roles });
  const agent = new Agent(w.app);
  await agent.login(user.email, user.password);
  return { agent, user };
}

const queue = (to: string, subject: string, text = 'Bonjour.') => w.ctx.db.transaction().execute((trx) => queueMail(trx, w.ctx, { to, subject, text }));
const mailRow = (id: string) => w.ctx.db.selectFrom('outbox_mail').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const setState = (id: string, state: 'sent' | 'failed' | 'sending' | 'held', extra: { last_error?: string; last_attempt_at?: Date; sent_at?: Date } = {}) =>
  w.ctx.db.updateTable('outbox_mail').set({ state, ...extra }).where('id', '=', id).execute();

describe('/admin/courriels: who may read the outbox', () => {
  test('a visitor is sent to the login page with a way back', async () => {
    const res = await new Agent(w.app).get('/admin/courriels');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/connexion?retour=%2Fadmin%2Fcourriels');
    const detail = await new Agent(w.app).get('/admin/courriels/6f1c2a4e-0000-4000-8000-000000000000');
    assert.equal(detail.statusCode, 303);
  });

  for (const role of ['member', 'staff', 'space_manager'] as Role[]) {
    test(`a ${role} is refused with 403, list and mail alike`, async () => {
      const id = await queue('anne@exemple.fr', 'Bienvenue');
      const { agent } = await agentWith([role]);
      assert.equal((await agent.get('/admin/courriels')).statusCode, 403);
      assert.equal((await agent.get(`/admin/courriels/${id}`)).statusCode, 403);
      assert.equal((await agent.get('/admin/courriels/pas-un-id')).statusCode, 403, 'refused before the id is even looked at');
    });
  }

  test('an admin reads the list: date in Paris time, recipient, subject, state in words, attempts and last error', async () => {
    const id = await queue('anne@exemple.fr', 'Bienvenue dans le Gers');
    await setState(id, 'failed', { last_error: '550 mailbox unavailable' });
    const { agent } = await agentWith(['admin']);
    const res = await agent.get('/admin/courriels');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Courriels<\/h1>/);
    assert.match(res.body, /27 novembre 2026, 10 h 00/, '09:00 UTC is 10 h 00 in Paris in November');
    assert.match(res.body, /anne@exemple\.fr/);
    assert.match(res.body, new RegExp(`<a href="/admin/courriels/${id}">Bienvenue dans le Gers</a>`));
    assert.match(res.body, /class="mail-state mail-state-failed">Échec</);
    assert.match(res.body, /550 mailbox unavailable/);
    assert.match(res.body, /<th scope="col"/);
    assert.match(res.body, /Aucun serveur d’envoi n’est configuré/, 'says why nothing leaves without SMTP_URL');
  });

  test('the list reads in English too', async () => {
    await queue('anne@exemple.fr', 'Bienvenue');
    const { agent } = await agentWith(['admin']);
    agent.setCookie('lang', 'en');
    const en = await agent.get('/admin/courriels');
    assert.match(en.body, /<h1>Mail<\/h1>/);
    assert.match(en.body, />Waiting</);
  });
});

describe('/admin/courriels: filters and pages', () => {
  test('the state filter shows only mails in that state, with the count of each state', async () => {
    const sent = await queue('sent@exemple.fr', 'Parti');
    await setState(sent, 'sent', { sent_at: w.clock.now() });
    const held = await queue('held@exemple.fr', 'Retenu');
    await setState(held, 'held');
    await queue('waiting@exemple.fr', 'En attente');
    const { agent } = await agentWith(['admin']);

    const res = await agent.get('/admin/courriels?etat=held');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /held@exemple\.fr/);
    assert.doesNotMatch(res.body, /sent@exemple\.fr|waiting@exemple\.fr/);
    assert.match(res.body, /<option value="held" selected>Retenu \(1\)<\/option>/);
    assert.match(res.body, /1 courriel\(s\)/);

    const all = await agent.get('/admin/courriels?etat=nimporte');
    assert.equal(all.statusCode, 200, 'an unknown state shows every mail');
    assert.match(all.body, /3 courriel\(s\)/);
  });

  test('fifty mails per page, newest first, with links to the next page keeping the filter', async () => {
    for (let i = 0; i < 53; i++) {
      await queue(`solo${i}@exemple.fr`, `Message ${i}`);
      w.clock.advance(MINUTE);
    }
    const { agent } = await agentWith(['admin']);
    const first = await agent.get('/admin/courriels?etat=pending');
    assert.match(first.body, /solo52@exemple\.fr/);
    assert.doesNotMatch(first.body, /solo2@exemple\.fr/);
    assert.match(first.body, /href="\?etat=pending&amp;page=2"/);
    assert.match(first.body, /Page 1 sur 2/);
    const second = await agent.get('/admin/courriels?etat=pending&page=2');
    assert.match(second.body, /solo0@exemple\.fr/);
    assert.match(second.body, /solo2@exemple\.fr/);
    assert.doesNotMatch(second.body, /solo3@exemple\.fr/);
  });
});

describe('/admin/courriels/:id', () => {
  test('shows the mail’s text escaped, in a preformatted block', async () => {
    const id = await queue('anne@exemple.fr', 'Lien <b>important</b>', 'Cliquez :\n<script>alert(1)</script>\nhttps://exemple.fr/x');
    const { agent } = await agentWith(['admin']);
    const res = await agent.get(`/admin/courriels/${id}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<pre class="mail-body">Cliquez :\n&lt;script>alert\(1\)&lt;\/script>\nhttps:\/\/exemple\.fr\/x<\/pre>/);
    assert.doesNotMatch(res.body, /<script>alert/);
    assert.match(res.body, /<h1>Lien &lt;b>important&lt;\/b><\/h1>/);
    assert.match(res.body, new RegExp(`href="/admin/journal\\?sujet=${id}"`));
  });

  test('an unknown or malformed id is a 404', async () => {
    const { agent } = await agentWith(['admin']);
    assert.equal((await agent.get('/admin/courriels/6f1c2a4e-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await agent.get('/admin/courriels/pas-un-id')).statusCode, 404);
  });

  test('a mail of another territory is not shown', async () => {
    const other = await w.ctx.db.insertInto('territory').values({ slug: 'autre', name: 'Autre', programme_name: 'Autre programme' }).returning('id').executeTakeFirstOrThrow();
    const id = await w.ctx.db.transaction().execute((trx) => queueMail(trx, w.ctx, { to: 'x@exemple.fr', subject: 'Ailleurs', text: '.', territoryId: other.id }));
    const { agent } = await agentWith(['admin']);
    assert.equal((await agent.get(`/admin/courriels/${id}`)).statusCode, 404);
    assert.doesNotMatch((await agent.get('/admin/courriels')).body, /Ailleurs/);
    await w.ctx.db.deleteFrom('outbox_mail').execute();
    await w.ctx.db.deleteFrom('territory').where('id', '=', other.id).execute();
  });
});

describe('Renvoyer', () => {
  test('a held mail is put back in the queue, audited, and delivered by the next run', async () => {
    const id = await queue('anne@exemple.fr', 'Bienvenue');
    await new JobWorker(w.ctx, jobHandlers).runOnce();
    assert.equal((await mailRow(id)).state, 'held');
    const { agent, user } = await agentWith(['admin']);

    const page = await agent.get(`/admin/courriels/${id}`);
    assert.match(page.body, new RegExp(`action="/admin/courriels/${id}/renvoyer"`));
    assert.match(page.body, /Renvoyer ce courriel/);
    const res = await agent.post(`/admin/courriels/${id}/renvoyer`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/courriels/${id}`);
    assert.match((await agent.get(`/admin/courriels/${id}`)).body, /Le courriel est remis dans la file d’envoi/);

    assert.equal((await mailRow(id)).state, 'pending');
    const job = await w.ctx.db.selectFrom('job').selectAll().where('dedupe_key', '=', `mail:${id}`).executeTakeFirstOrThrow();
    assert.equal(job.state, 'pending');
    assert.equal(job.attempts, 0);
    const audit = await w.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'mail.requeued').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, user.id);
    assert.equal(audit.subject_type, 'mail');
    assert.equal(audit.subject_id, id);
    assert.equal(audit.data.from, 'held');

    // Still no SMTP here: the next run keeps it again, which is the honest answer.
    assert.equal(await new JobWorker(w.ctx, jobHandlers).runOnce(), 1);
    assert.equal((await mailRow(id)).state, 'held');
  });

  test('a failed mail can be resent; a sent or waiting mail cannot (409) and shows no button', async () => {
    const failed = await queue('f@exemple.fr', 'Échoué');
    await setState(failed, 'failed', { last_error: 'timeout' });
    const sent = await queue('s@exemple.fr', 'Parti');
    await setState(sent, 'sent', { sent_at: w.clock.now() });
    const waiting = await queue('p@exemple.fr', 'En attente');
    const { agent } = await agentWith(['admin']);

    assert.equal((await agent.post(`/admin/courriels/${failed}/renvoyer`, {})).statusCode, 303);
    assert.equal((await mailRow(failed)).state, 'pending');
    for (const id of [sent, waiting]) {
      assert.doesNotMatch((await agent.get(`/admin/courriels/${id}`)).body, /Renvoyer ce courriel/);
      const res = await agent.post(`/admin/courriels/${id}/renvoyer`, {});
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /ne peut pas être renvoyé/);
    }
    assert.equal((await mailRow(sent)).state, 'sent');
  });

  test('a mail left "sending" can be resent only once it is clearly stuck', async () => {
    const id = await queue('g@exemple.fr', 'Interrompu');
    await setState(id, 'sending', { last_attempt_at: w.clock.now() });
    const { agent } = await agentWith(['admin']);
    assert.equal((await agent.post(`/admin/courriels/${id}/renvoyer`, {})).statusCode, 409, 'it may still be on its way');
    w.clock.advance(STUCK_SENDING_AFTER);
    const page = await agent.get(`/admin/courriels/${id}`);
    assert.match(page.body, /le destinataire l’a peut-être déjà reçu/);
    assert.equal((await agent.post(`/admin/courriels/${id}/renvoyer`, {})).statusCode, 303);
    assert.equal((await mailRow(id)).state, 'pending');
  });

  test('only an admin may resend: staff get 403 and the mail stays as it was; a form without its token is refused', async () => {
    const id = await queue('h@exemple.fr', 'Retenu');
    await setState(id, 'held');
    const { agent: staff } = await agentWith(['staff']);
    await staff.get('/compte');
    assert.equal((await staff.post(`/admin/courriels/${id}/renvoyer`, {})).statusCode, 403);
    const { agent: admin } = await agentWith(['admin']);
    await admin.get(`/admin/courriels/${id}`);
    assert.equal((await admin.post(`/admin/courriels/${id}/renvoyer`, {}, { csrf: null })).statusCode, 403);
    assert.equal((await mailRow(id)).state, 'held');
    assert.equal(await w.ctx.db.selectFrom('audit_event').select('id').where('action', '=', 'mail.requeued').executeTakeFirst(), undefined);
  });
});

describe('Envoyer les courriels retenus', () => {
  const withSmtp = () => ({ ...w.ctx, config: { ...w.ctx.config, smtpUrl: 'smtp://127.0.0.1:2525' } });

  test('once SMTP is configured, every held mail goes back in the queue in one audited action; the others are left alone', async () => {
    const held = [await queue('a@exemple.fr', 'Un'), await queue('b@exemple.fr', 'Deux')];
    for (const id of held) await setState(id, 'held');
    const sent = await queue('c@exemple.fr', 'Parti');
    await setState(sent, 'sent', { sent_at: w.clock.now() });
    const { user } = await agentWith(['admin']);
    const actor = { userId: user.id, territoryId: w.ctx.territory.id, roles: new Set(['admin'] as Role[]) };

    assert.equal(await requeueHeldMails(withSmtp(), actor), 2);
    for (const id of held) assert.equal((await mailRow(id)).state, 'pending');
    assert.equal((await mailRow(sent)).state, 'sent');
    const audit = await w.ctx.db.selectFrom('audit_event').selectAll().where('action', '=', 'mail.held_requeued').executeTakeFirstOrThrow();
    assert.equal(audit.data.count, 2);
    assert.equal(await requeueHeldMails(withSmtp(), actor), 0, 'nothing left: a second click does nothing');
  });

  test('without SMTP the button is not offered and the action is refused (409): the mails would only be held again', async () => {
    const id = await queue('d@exemple.fr', 'Retenu');
    await setState(id, 'held');
    const { agent } = await agentWith(['admin']);
    assert.doesNotMatch((await agent.get('/admin/courriels')).body, /Envoyer les courriels retenus/);
    const res = await agent.post('/admin/courriels/retenus', {});
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Configurez d’abord un serveur d’envoi/);
    assert.equal((await mailRow(id)).state, 'held');
  });

  test('staff are refused (403) before anything is looked at', async () => {
    const { agent } = await agentWith(['staff']);
    await agent.get('/compte');
    assert.equal((await agent.post('/admin/courriels/retenus', {})).statusCode, 403);
  });
});

describe('/admin/courriels: one-time links stay unreadable', () => {
  test('an admin reading a mail sees its link with the token masked, delivered or not', async () => {
    const id = await queue('anne@exemple.fr', 'Votre lien', 'Bonjour.\n\nhttp://localhost:3000/mot-de-passe-oublie/nouveau?jeton=Tr3sSecretJeton_abcdef\n\nÀ bientôt.');
    const { agent } = await agentWith(['admin']);
    for (const state of ['pending', 'sent'] as const) {
      if (state === 'sent') await setState(id, 'sent', { sent_at: w.clock.now() });
      const res = await agent.get(`/admin/courriels/${id}`);
      assert.equal(res.statusCode, 200);
      assert.ok(!res.body.includes('Tr3sSecretJeton_abcdef'), `token shown while ${state}`);
      assert.match(res.body, /mot-de-passe-oublie\/nouveau\?jeton=\*\*\*/);
    }
    assert.ok((await mailRow(id)).text_body.includes('Tr3sSecretJeton_abcdef'), 'the mail itself keeps its link, for a resend');
  });
});
