import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { actorFor, codeOf, createUser, PASSWORD, signedInUser } from '../../../../tests/support/factories.js';
import type { Actor } from '../../../context.js';
import { anonymous } from '../../../context.js';
import type { Role } from '../../../db/schema.js';
import { loadDemoIfWanted } from '../../../demo.js';
import { hashPassword } from '../../accounts/index.js';
import * as partners from './partners.service.js';
import * as service from '../cases/cases.service.js';
import { applyAsVisitor, familyInput } from '../newcomers.testing.js';

const w = useTestWorld();

const DUMMY = '00000000-0000-4000-8000-000000000000';

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('created_at').execute();
const audits = (action: string) => w.ctx.db.selectFrom('audit_event').select(['actor_id', 'subject_id', 'data']).where('action', '=', action).orderBy('id').execute();
const views = (caseId: string) => w.ctx.db.selectFrom('case_partner_view').select(['partner_id', 'refused']).where('case_id', '=', caseId).orderBy('id').execute();

const signedIn = (roles: Role[], name?: string) => signedInUser(w, roles, name);

async function householdAgent(email = 'camille.martin@exemple.fr') {
  await w.ctx.db.updateTable('user_account').set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() }).where('email', '=', email).execute();
  const user = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const agent = new Agent(w.app);
  await agent.login(email, PASSWORD);
  return { agent, actor: actorFor(w.ctx, user, ['candidate']) };
}

/** The Martin family (consenting to sharing unless told otherwise), a staff member, and the Lectoure committee. */
async function world(opts: { consentShare?: boolean } = {}) {
  const { caseId, number } = await applyAsVisitor(w.ctx, { consentShare: opts.consentShare ?? true });
  const lea = await signedIn(['staff'], 'Léa Dupuis');
  const lectoure = await signedIn(['partner'], 'Mairie de Lectoure');
  await partners.savePartnerProfile(w.ctx, lea.actor, lectoure.user.id, { organisation: 'Comité d’accueil de Lectoure', kind: 'welcome_committee', theme: null, communes: ['32208'] });
  return { caseId, number, lea, lectoure };
}

describe('partner profiles', () => {
  test('staff list the partner accounts and describe each one; mistakes come back with the values and a message per field', async () => {
    const lea = await signedIn(['staff']);
    const cae = await createUser(w.ctx, { roles: ['partner'], name: 'Coopérative Ozon' });
    await createUser(w.ctx, { roles: ['member'], name: 'Léa Solo' });
    let list = await lea.agent.get('/admin/accueil/partenaires');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Coopérative Ozon<\/a><span class="small muted"> · profil à compléter/);
    assert.doesNotMatch(list.body, /Léa Solo/, 'only partner-role accounts are listed');

    const form = await lea.agent.get(`/admin/accueil/partenaires/${cae.id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="organisation"[^>]*value="Coopérative Ozon"/);

    const empty = await lea.agent.post(`/admin/accueil/partenaires/${cae.id}`, { organisation: '  ', kind: '', communes: '', theme: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="e-organisation"/);
    assert.match(empty.body, /id="e-kind"[^>]*>Choisissez le type de partenaire/);

    const neither = await lea.agent.post(`/admin/accueil/partenaires/${cae.id}`, { organisation: 'CAE Ozon', kind: 'cae', communes: '', theme: '' });
    assert.equal(neither.statusCode, 422);
    assert.match(neither.body, /id="e-communes"[^>]*>Indiquez au moins une commune ou choisissez un thème/);
    assert.match(neither.body, /value="CAE Ozon"/, 'the typed values are kept');

    const unknown = await lea.agent.post(`/admin/accueil/partenaires/${cae.id}`, { organisation: 'CAE Ozon', kind: 'cae', communes: '32208, 99999', theme: 'business' });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /id="e-communes"[^>]*>Au moins un de ces codes/);
    assert.match(unknown.body, /value="32208, 99999"/);

    const saved = await lea.agent.post(`/admin/accueil/partenaires/${cae.id}`, { organisation: 'CAE Ozon', kind: 'cae', communes: '32013 32208', theme: 'business' });
    assert.equal(saved.statusCode, 303);
    list = await lea.agent.get('/admin/accueil/partenaires');
    assert.match(list.body, /CAE Ozon<\/a>/);
    assert.match(list.body, /Auch, Lectoure/);
    assert.match(list.body, /Création et reprise d’entreprise/);
    const [audit] = await audits('partner_profile.saved');
    assert.equal(audit.subject_id, cae.id);

    const member = await createUser(w.ctx, { roles: ['member'] });
    assert.equal((await lea.agent.get(`/admin/accueil/partenaires/${member.id}`)).statusCode, 404, 'a member has no partner profile to edit');
    assert.equal((await lea.agent.get('/admin/accueil/partenaires/pas-un-id')).statusCode, 404);
  });

  test('only staff and admin may list, open and save partner profiles', async () => {
    const partner = await createUser(w.ctx, { roles: ['partner'] });
    const input = { organisation: 'Mairie', kind: 'welcome_committee' as const, theme: null, communes: ['32208'] };
    for (const roles of [[], ['member'], ['candidate'], ['partner'], ['space_manager'], ['staff'], ['admin']] as Role[][]) {
      const actor = actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
      const expected = roles.includes('staff') || roles.includes('admin') ? 'ok' : 'forbidden';
      assert.equal(await codeOf(partners.listPartnersForStaff(w.ctx, actor)), expected, roles.join());
      assert.equal(await codeOf(partners.getPartnerForStaff(w.ctx, actor, partner.id)), expected, roles.join());
      assert.equal(await codeOf(partners.savePartnerProfile(w.ctx, actor, partner.id, input)), expected, roles.join());
      if (expected === 'forbidden') assert.equal(await codeOf(partners.getPartnerForStaff(w.ctx, actor, DUMMY)), 'forbidden', 'refused before looking anything up');
    }
    const visitor = anonymous(w.ctx.territory.id);
    assert.equal(await codeOf(partners.listPartnersForStaff(w.ctx, visitor)), 'unauthenticated');
  });

  test('the demo partner account is Lectoure’s welcome committee, and a profile staff edited is kept on restart', async () => {
    const demo = { ...w.ctx, demo: true };
    await loadDemoIfWanted(demo);
    const staff = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']);
    const [row] = await partners.listPartnersForStaff(w.ctx, staff);
    assert.deepEqual(row.profile, { organisation: 'Mairie de Lectoure', kind: 'welcome_committee', theme: null, communes: [{ insee: '32208', name: 'Lectoure' }] });
    await partners.savePartnerProfile(w.ctx, staff, row.id, { organisation: 'Comité d’accueil de Lectoure', kind: 'welcome_committee', theme: 'housing', communes: ['32208'] });
    await loadDemoIfWanted(demo);
    const [again] = await partners.listPartnersForStaff(w.ctx, staff);
    assert.equal(again.profile?.organisation, 'Comité d’accueil de Lectoure');
  });
});

describe('sharing a case with a partner', () => {
  test('without the household’s consent the case cannot be shared, and the page says why', async () => {
    const { caseId, lea, lectoure } = await world({ consentShare: false });
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /<h2 id="partenaires">Partenaires<\/h2>/);
    assert.match(page.body, /Le foyer n’a pas accepté \(ou a retiré son accord\)/);
    assert.doesNotMatch(page.body, /action="\/admin\/accueil\/[^"]+\/partenaires"/, 'no share form');
    const refused = await lea.agent.post(`/admin/accueil/${caseId}/partenaires`, { partnerId: lectoure.user.id });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /il ne peut pas être partagé/);
    assert.equal((await w.ctx.db.selectFrom('case_share').select('id').execute()).length, 0);
    assert.equal((await mailsTo(lectoure.user.email)).length, 0);
  });

  test('partners attached to the target villages or whose theme fits come first; sharing mails a link without the case’s content', async () => {
    const { caseId, number, lea, lectoure } = await world();
    const cae = await createUser(w.ctx, { roles: ['partner'], name: 'CAE Ozon' });
    await partners.savePartnerProfile(w.ctx, lea.actor, cae.id, { organisation: 'CAE Ozon', kind: 'cae', theme: 'business', communes: [] });
    const jobs = await createUser(w.ctx, { roles: ['partner'], name: 'Agence emploi' });
    await partners.savePartnerProfile(w.ctx, lea.actor, jobs.id, { organisation: 'Agence emploi', kind: 'other', theme: 'jobs', communes: ['32107'] });
    await createUser(w.ctx, { roles: ['partner'], name: 'Sans profil' });

    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    const suggested = /<optgroup label="Suggérés">(.*?)<\/optgroup>/s.exec(page.body)?.[1] ?? '';
    const others = /<optgroup label="Autres partenaires">(.*?)<\/optgroup>/s.exec(page.body)?.[1] ?? '';
    assert.match(suggested, /CAE Ozon \(thème : Création et reprise d’entreprise\)/, 'a takeover project fits the business theme');
    assert.match(suggested, /Comité d’accueil de Lectoure \(commune visée : Lectoure\)/);
    assert.ok(suggested.indexOf('CAE Ozon') < suggested.indexOf('Comité'), 'suggestions in name order');
    assert.match(others, /Agence emploi/, 'neither its commune nor its theme meets this household');
    assert.match(others, /Sans profil/);

    const res = await lea.agent.post(`/admin/accueil/${caseId}/partenaires`, { partnerId: lectoure.user.id });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/accueil/${caseId}#partenaires`);
    const [mail] = await mailsTo(lectoure.user.email);
    assert.match(mail.subject, /Un dossier vous est partagé/);
    assert.match(mail.text_body, new RegExp(`/partenaire/dossiers/${caseId}`));
    assert.match(mail.text_body, new RegExp(`n° ${number}`));
    for (const secret of ['Camille', 'Martin', 'Sami', 'Lyon', 'Lectoure', 'Boulanger', '06 12']) assert.ok(!mail.text_body.includes(secret), `the mail does not say ${secret}`);
    const [audit] = await audits('newcomer_case.shared');
    assert.equal(audit.subject_id, caseId);
    assert.equal((audit.data as { partner: string }).partner, lectoure.user.id);

    const after = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(after.body, /<strong>Comité d’accueil de Lectoure<\/strong> · depuis le 27 novembre 2026/);
    assert.doesNotMatch(/<select id="f-partnerId".*?<\/select>/s.exec(after.body)?.[0] ?? '', /Comité d’accueil de Lectoure/, 'a partner it is shared with is not offered again');
  });

  test('sharing with someone who is not a partner re-renders the case page with a message next to the field', async () => {
    const { caseId, lea } = await world();
    const member = await createUser(w.ctx, { roles: ['member'] });
    const res = await lea.agent.post(`/admin/accueil/${caseId}/partenaires`, { partnerId: member.id });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="e-partnerId"[^>]*>Cette personne n’est pas un partenaire/);
    const blank = await lea.agent.post(`/admin/accueil/${caseId}/partenaires`, { partnerId: '' });
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /id="e-partnerId"[^>]*>Choisissez un partenaire/);
    assert.equal((await w.ctx.db.selectFrom('case_share').select('id').execute()).length, 0);
  });

  test('two staff sharing at the same moment make one share and one mail', async () => {
    const { caseId, lea, lectoure } = await world();
    const paul = actorFor(w.ctx, await createUser(w.ctx, { roles: ['staff'] }), ['staff']);
    const outcomes = await Promise.all([
      partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id),
      partners.shareCaseWithPartner(w.ctx, paul, caseId, lectoure.user.id),
      partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id),
    ]);
    assert.equal(outcomes.filter((o) => o.shared).length, 1);
    assert.equal((await w.ctx.db.selectFrom('case_share').select('id').execute()).length, 1);
    assert.equal((await mailsTo(lectoure.user.email)).length, 1);
  });

  test('revoking hides the case from the partner at once; the share stays in the history and can be made again', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    assert.equal((await lectoure.agent.get(`/partenaire/dossiers/${caseId}`)).statusCode, 200);
    const res = await lea.agent.post(`/admin/accueil/${caseId}/partenaires/${lectoure.user.id}/retrait`, {});
    assert.equal(res.statusCode, 303);
    assert.equal((await lectoure.agent.get(`/partenaire/dossiers/${caseId}`)).statusCode, 403);
    assert.doesNotMatch((await lectoure.agent.get('/partenaire')).body, new RegExp(caseId));
    assert.equal((await audits('newcomer_case.share_revoked')).length, 1);
    assert.equal((await lea.agent.post(`/admin/accueil/${caseId}/partenaires/${lectoure.user.id}/retrait`, {})).statusCode, 303, 'revoking twice is harmless');
    assert.equal((await audits('newcomer_case.share_revoked')).length, 1);
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /1 accès retiré\(s\)/);
    assert.match(page.body, /Comité d’accueil de Lectoure : du 27 novembre 2026 au 27 novembre 2026/);

    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    assert.equal((await lectoure.agent.get(`/partenaire/dossiers/${caseId}`)).statusCode, 200);
    assert.equal((await w.ctx.db.selectFrom('case_share').select('id').execute()).length, 2);
  });

  test('only staff and admin share and revoke, refused before the case is looked up', async () => {
    const { caseId, lectoure } = await world();
    for (const roles of [[], ['member'], ['candidate'], ['partner'], ['space_manager'], ['staff'], ['admin']] as Role[][]) {
      const actor = actorFor(w.ctx, await createUser(w.ctx, { roles }), roles);
      const expected = roles.includes('staff') || roles.includes('admin') ? 'ok' : 'forbidden';
      assert.equal(await codeOf(partners.shareCaseWithPartner(w.ctx, actor, caseId, lectoure.user.id)), expected, roles.join());
      assert.equal(await codeOf(partners.revokeCaseShare(w.ctx, actor, caseId, lectoure.user.id)), expected, roles.join());
      if (expected === 'forbidden') assert.equal(await codeOf(partners.shareCaseWithPartner(w.ctx, actor, DUMMY, lectoure.user.id)), 'forbidden');
      else assert.equal(await codeOf(partners.shareCaseWithPartner(w.ctx, actor, DUMMY, lectoure.user.id)), 'not_found');
    }
    assert.equal(await codeOf(partners.shareCaseWithPartner(w.ctx, lectoure.actor, caseId, lectoure.user.id)), 'forbidden', 'a partner cannot share with itself');
    assert.equal(await codeOf(partners.shareCaseWithPartner(w.ctx, anonymous(w.ctx.territory.id), caseId, lectoure.user.id)), 'unauthenticated');
  });
});

describe('the partner area', () => {
  test('a partner lists the cases shared with it and opens the limited view: never staff notes, tasks or messages', async () => {
    const { caseId, number, lea, lectoure } = await world();
    await service.addCaseNote(w.ctx, lea.actor, caseId, 'Note interne : hésitent encore');
    await service.addCaseTask(w.ctx, lea.actor, caseId, { title: 'Rappeler la famille', dueOn: '2026-12-01' });
    await service.sendStaffMessage(w.ctx, lea.actor, caseId, 'Message privé au foyer');
    await service.qualifyCase(w.ctx, lea.actor, caseId);

    assert.match((await lectoure.agent.get('/partenaire')).body, /Aucun dossier n’est partagé avec vous/);
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);

    const list = await lectoure.agent.get('/partenaire');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`<a href="/partenaire/dossiers/${caseId}">Dossier n° ${number}</a>`));
    assert.match(list.body, /<td>Camille, Sami<\/td>/);
    assert.match(list.body, /Télétravail/);
    assert.match(list.body, /Auch, Lectoure|Lectoure, Auch/);
    assert.match(list.body, /Qualifié/);
    assert.match(list.body, /<td>27 novembre 2026<\/td>/);
    assert.match(list.body, /<a class="button button-secondary" href="\/partenaire\/offres">Proposer une offre<\/a>/);
    assert.match(list.body, /Espace partenaire de Comité d’accueil de Lectoure/);
    assert.match(list.body, /href="\/partenaire" aria-current="page">Espace partenaire<\/a>/, 'the header links to the partner area');
    lectoure.agent.setCookie('lang', 'en');
    const english = await lectoure.agent.get('/partenaire');
    assert.match(english.body, /<h1>Cases shared with you<\/h1>/);
    assert.match(english.body, /Propose an offer/);
    lectoure.agent.setCookie('lang', 'fr');

    const page = await lectoure.agent.get(`/partenaire/dossiers/${caseId}`);
    assert.equal(page.statusCode, 200);
    for (const text of ['Camille Martin', 'camille.martin@exemple.fr', '06 12 34 56 78', 'Sami', 'Reprise d’entreprise', 'Boulanger', '8 ans', 'Un logement à acheter', 'Lectoure', 'Dans six à douze mois']) {
      assert.ok(page.body.includes(text), text);
    }
    for (const secret of ['hésitent encore', 'Rappeler la famille', 'Message privé', 'Section bilingue', 'Lyon', 'quitter la ville']) {
      assert.ok(!page.body.includes(secret), `the partner does not see “${secret}”`);
    }
    assert.equal(page.headers['cache-control'], 'no-store');
  });

  test('every opening is logged and listed for staff', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    assert.match((await lea.agent.get(`/admin/accueil/${caseId}`)).body, /Aucun partenaire n’a ouvert ce dossier/);
    await lectoure.agent.get(`/partenaire/dossiers/${caseId}`);
    w.clock.set('2026-11-28T10:00:00Z');
    await lectoure.agent.get(`/partenaire/dossiers/${caseId}`);
    assert.deepEqual(await views(caseId), [
      { partner_id: lectoure.user.id, refused: false },
      { partner_id: lectoure.user.id, refused: false },
    ]);
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /Consultations par les partenaires/);
    assert.match(page.body, /Les 2 dernières consultations et tentatives \(sur 2\)/);
    assert.equal(page.body.match(/<td>Comité d’accueil de Lectoure<\/td><td>Dossier consulté<\/td>/g)?.length, 2);
  });

  test('another partner guessing the case gets 403, never 404, and the attempt is logged and shown to staff', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    const other = await signedIn(['partner'], 'Mairie de Condom');
    assert.doesNotMatch((await other.agent.get('/partenaire')).body, new RegExp(caseId));
    for (const id of [caseId, DUMMY, 'pas-un-uuid', '12345']) {
      const res = await other.agent.get(`/partenaire/dossiers/${id}`);
      assert.equal(res.statusCode, 403, id);
      assert.match(res.body, /<html lang="fr"/);
      assert.doesNotMatch(res.body, /Camille/);
    }
    const note = await other.agent.post(`/partenaire/dossiers/${caseId}/notes`, { body: 'Je tente ma chance' });
    assert.equal(note.statusCode, 403);
    assert.equal((await w.ctx.db.selectFrom('case_partner_note').select('id').execute()).length, 0);

    const denied = await audits('newcomer_case.partner_access_denied');
    assert.deepEqual(
      denied.map((d) => (d.data as { tried: string }).tried),
      [caseId, DUMMY, 'pas-un-uuid', '12345', caseId],
    );
    assert.ok(denied.every((d) => d.actor_id === other.user.id));
    assert.deepEqual(await views(caseId), [
      { partner_id: other.user.id, refused: true },
      { partner_id: other.user.id, refused: true },
    ]);
    assert.equal((await w.ctx.db.selectFrom('case_partner_view').select('id').execute()).length, 2, 'ids that do not exist leave the audit log only');
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /<td>Mairie de Condom<\/td><td><strong class="overdue">Accès refusé \(dossier non partagé avec ce partenaire\)<\/strong><\/td>/);
  });

  test('a household withdrawing its consent by applying again hides the case from partners at once', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    assert.equal((await lectoure.agent.get(`/partenaire/dossiers/${caseId}`)).statusCode, 200);
    const household = await householdAgent();
    await service.applyToProgramme(w.ctx, household.actor, familyInput({ consentShare: false }), 'fr');
    assert.equal((await lectoure.agent.get(`/partenaire/dossiers/${caseId}`)).statusCode, 403);
    assert.match((await lectoure.agent.get('/partenaire')).body, /Aucun dossier n’est partagé avec vous/);
    assert.equal(await codeOf(partners.addPartnerNote(w.ctx, lectoure.actor, caseId, 'Encore là ?')), 'forbidden');
    const page = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(page.body, /suspendu tant que le foyer refuse le partage/);
    assert.match(page.body, /Le foyer n’a pas accepté \(ou a retiré son accord\)/);
  });

  test('a withdrawal and a share at the same moment never leave the case visible', async () => {
    const { caseId, lea, lectoure } = await world();
    const household = await householdAgent();
    const [share] = await Promise.all([
      codeOf(partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id)),
      service.applyToProgramme(w.ctx, household.actor, familyInput({ consentShare: false }), 'fr'),
    ]);
    assert.ok(['ok', 'conflict'].includes(share), share);
    assert.equal(await codeOf(partners.getSharedCase(w.ctx, lectoure.actor, caseId)), 'forbidden');
    assert.deepEqual((await partners.listMySharedCases(w.ctx, lectoure.actor)).rows, []);
  });

  test('a partner’s note reaches staff (and the adviser by mail), not the household nor other partners', async () => {
    const { caseId, lea, lectoure } = await world();
    await service.assignAdviser(w.ctx, lea.actor, caseId, 'moi');
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    const cae = await signedIn(['partner'], 'CAE Ozon');
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, cae.user.id);

    await lectoure.agent.get(`/partenaire/dossiers/${caseId}`);
    const empty = await lectoure.agent.post(`/partenaire/dossiers/${caseId}/notes`, { body: '   ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="e-body"/);
    const tooLong = await lectoure.agent.post(`/partenaire/dossiers/${caseId}/notes`, { body: 'x'.repeat(4001) });
    assert.equal(tooLong.statusCode, 422);
    assert.match(tooLong.body, /x{4001}<\/textarea>/, 'the text typed is kept');

    const forged = await lectoure.agent.post(`/partenaire/dossiers/${caseId}/notes`, { body: 'Sans jeton' }, { csrf: null });
    assert.equal(forged.statusCode, 403, 'a post without the CSRF token is refused');
    const sharedForged = await lea.agent.post(`/admin/accueil/${caseId}/partenaires/${cae.user.id}/retrait`, {}, { csrf: null });
    assert.equal(sharedForged.statusCode, 403);
    assert.equal((await w.ctx.db.selectFrom('case_share').select('id').where('revoked_at', 'is not', null).execute()).length, 0);

    const ok = await lectoure.agent.post(`/partenaire/dossiers/${caseId}/notes`, { body: 'Logement communal libre en mars.' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/partenaire/dossiers/${caseId}#notes`);
    assert.match((await lectoure.agent.get(`/partenaire/dossiers/${caseId}`)).body, /Logement communal libre en mars/, 'its author sees it');
    assert.doesNotMatch((await cae.agent.get(`/partenaire/dossiers/${caseId}`)).body, /Logement communal/, 'another partner does not');

    const staffPage = await lea.agent.get(`/admin/accueil/${caseId}`);
    assert.match(staffPage.body, /<strong>Comité d’accueil de Lectoure<\/strong>.*?Logement communal libre en mars/s);
    const household = await householdAgent();
    assert.doesNotMatch((await household.agent.get('/mon-projet')).body, /Logement communal/);
    assert.doesNotMatch((await household.agent.get('/mon-projet/donnees.json')).body, /Logement communal/);

    const [mail] = (await mailsTo(lea.user.email)).filter((m) => /Note d’un partenaire/.test(m.subject));
    assert.ok(mail, 'the adviser is told');
    assert.doesNotMatch(mail.text_body, /Logement communal/);
    const [audit] = await audits('newcomer_case.partner_note_added');
    assert.doesNotMatch(JSON.stringify(audit.data), /Logement/, 'the audit log does not copy the note');
  });
});

describe('who reaches the partner area', () => {
  test('a visitor is sent to the login page', async () => {
    const { caseId } = await world();
    const a = new Agent(w.app);
    for (const url of ['/partenaire', `/partenaire/dossiers/${caseId}`]) {
      const res = await a.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/connexion\?retour=/);
    }
    const post = await a.post(`/partenaire/dossiers/${caseId}/notes`, { body: 'Bonjour' });
    assert.equal(post.statusCode, 303);
    assert.match(String(post.headers.location), /^\/connexion\?retour=/);
  });

  test('people who are not partners get 403 (even staff), and are not logged as partners', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    for (const roles of [[], ['member'], ['candidate'], ['space_manager'], ['staff'], ['admin']] as Role[][]) {
      const who = await signedIn(roles);
      for (const url of ['/partenaire', `/partenaire/dossiers/${caseId}`]) assert.equal((await who.agent.get(url)).statusCode, 403, `${roles.join()} ${url}`);
      assert.equal((await who.agent.post(`/partenaire/dossiers/${caseId}/notes`, { body: 'Bonjour' })).statusCode, 403, roles.join());
      assert.doesNotMatch((await who.agent.get('/compte')).body, /href="\/partenaire"/, 'no partner link in the menu');
    }
    assert.equal((await audits('newcomer_case.partner_access_denied')).length, 0);
    assert.equal((await views(caseId)).length, 0);
  });

  test('partner use cases: per role, checked in the service', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    const people: [string, Actor, string][] = [
      ['visitor', anonymous(w.ctx.territory.id), 'unauthenticated'],
      ['the partner it is shared with', lectoure.actor, 'ok'],
      ['staff', lea.actor, 'forbidden'],
    ];
    for (const roles of [[], ['member'], ['candidate'], ['space_manager'], ['admin']] as Role[][]) {
      people.push([roles.join() || 'no role', actorFor(w.ctx, await createUser(w.ctx, { roles }), roles), 'forbidden']);
    }
    for (const [label, actor, expected] of people) {
      assert.equal(await codeOf(partners.listMySharedCases(w.ctx, actor)), expected, `${label}: list`);
      assert.equal(await codeOf(partners.getSharedCase(w.ctx, actor, caseId)), expected, `${label}: open`);
      assert.equal(await codeOf(partners.addPartnerNote(w.ctx, actor, caseId, 'Bonjour')), expected, `${label}: note`);
    }
  });

  test('partners get 403 on the back office, the staff case page and its partner forms', async () => {
    const { caseId, lea, lectoure } = await world();
    await partners.shareCaseWithPartner(w.ctx, lea.actor, caseId, lectoure.user.id);
    for (const url of ['/admin', '/admin/accueil', '/admin/accueil/partenaires', `/admin/accueil/partenaires/${lectoure.user.id}`, `/admin/accueil/${caseId}`]) {
      assert.equal((await lectoure.agent.get(url)).statusCode, 403, url);
    }
    assert.equal((await lectoure.agent.post(`/admin/accueil/${caseId}/partenaires`, { partnerId: lectoure.user.id })).statusCode, 403);
    assert.equal((await lectoure.agent.post(`/admin/accueil/${caseId}/partenaires/${lectoure.user.id}/retrait`, {})).statusCode, 403);
    assert.equal((await lectoure.agent.post(`/admin/accueil/partenaires/${lectoure.user.id}`, { organisation: 'Moi', kind: 'other', theme: 'other' })).statusCode, 403);
    assert.equal((await w.ctx.db.selectFrom('case_share').select('id').where('revoked_at', 'is not', null).execute()).length, 0);
  });
});
