import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../../../tests/support/agent.js';
import { useTestWorld } from '../../../../tests/support/context.js';
import { createUser, PASSWORD } from '../../../../tests/support/factories.js';
import { hashPassword } from '../../accounts/index.js';
import { familyForm, familyInput } from '../newcomers.testing.js';
import { applyToProgramme } from './cases.service.js';

const w = useTestWorld();

const mailsTo = (to: string) => w.ctx.db.selectFrom('outbox_mail').selectAll().where('to_address', '=', to).orderBy('created_at').execute();
const caseOf = (email: string) =>
  w.ctx.db
    .selectFrom('newcomer_case as c')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select(['c.id', 'c.stage', 'c.contact_name', 'c.timing', 'c.needs', 'c.consent_share', 'u.email_verified_at', 'u.password_hash', 'u.id as user_id'])
    .where('u.email', '=', email)
    .execute();

describe('a household applies', () => {
  test('a family of four applies in French: unverified account with the candidate role, a new case, a confirmation and an activation mail', async () => {
    const a = new Agent(w.app);
    const form = await a.get('/candidature');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<html lang="fr"/);
    assert.match(form.body, /name="adult4_project"/, 'four adult blocks without JavaScript');
    assert.match(form.body, /name="child6_age"/, 'six child blocks without JavaScript');
    const res = await a.post('/candidature', familyForm());
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/candidature/merci');

    const [c] = await caseOf('camille.martin@exemple.fr');
    assert.ok(c, 'the case exists');
    assert.equal(c.stage, 'nouveau');
    assert.equal(c.email_verified_at, null);
    assert.equal(c.password_hash, null);
    assert.deepEqual(c.needs.sort(), ['coworking', 'housing_buy', 'schooling']);
    assert.equal(c.consent_share, true);
    const roles = await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', c.user_id).execute();
    assert.deepEqual(roles.map((r) => r.role), ['candidate']);
    const adults = await w.ctx.db.selectFrom('case_adult').select(['project', 'profession']).where('case_id', '=', c.id).orderBy('position').execute();
    assert.deepEqual(adults.map((x) => x.project), ['telework', 'takeover']);
    const children = await w.ctx.db.selectFrom('case_child').select(['age', 'schooling', 'needs']).where('case_id', '=', c.id).orderBy('position').execute();
    assert.deepEqual(children.map((x) => x.age), [8, 3]);
    const communes = await w.ctx.db.selectFrom('case_commune').select('insee').where('case_id', '=', c.id).orderBy('insee').execute();
    assert.deepEqual(communes.map((x) => x.insee), ['32013', '32208']);
    const events = await w.ctx.db.selectFrom('case_stage_event').select(['from_stage', 'to_stage']).where('case_id', '=', c.id).execute();
    assert.deepEqual(events, [{ from_stage: null, to_stage: 'nouveau' }], 'the creation is dated too, so time in "nouveau" can be measured');
    const checklist = await w.ctx.db.selectFrom('case_checklist_item').select('key').where('case_id', '=', c.id).orderBy('position').execute();
    assert.deepEqual(checklist.map((x) => x.key), ['housing', 'school', 'doctor', 'coworking', 'cae', 'community'], 'school for the children, CAE for the takeover');

    const mails = await mailsTo('camille.martin@exemple.fr');
    assert.equal(mails.length, 2);
    assert.match(mails[0].subject, /candidature est bien reçue/);
    assert.match(mails[0].text_body, /\/mon-projet/);
    assert.match(mails[1].subject, /Activez votre compte/);
    const audit = await w.ctx.db.selectFrom('audit_event').select(['action', 'subject_id']).where('action', 'like', 'newcomer_case.%').execute();
    assert.deepEqual(audit, [{ action: 'newcomer_case.created', subject_id: c.id }]);

    const thanks = await a.get('/candidature/merci');
    assert.equal(thanks.statusCode, 200);
    assert.match(thanks.body, /bien reçue/);
  });

  test('the activation link lets the household choose a password, log in and see its case on /mon-projet', async () => {
    const a = new Agent(w.app);
    await a.post('/candidature', familyForm());
    const [, activation] = await mailsTo('camille.martin@exemple.fr');
    const link = /http:\/\/localhost:3000(\S+)/.exec(activation.text_body)![1];
    assert.equal((await a.get(link)).statusCode, 200);
    const token = new URL(link, 'http://x').searchParams.get('jeton')!;
    assert.equal((await a.post('/mot-de-passe-oublie/nouveau', { token, password: 'un village dans le Gers' })).statusCode, 303);
    await a.login('camille.martin@exemple.fr', 'un village dans le Gers');
    const mine = await a.get('/mon-projet');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /Nouveau/);
    assert.match(mine.body, /Trouver un médecin traitant/);
    assert.match(mine.body, /href="\/villages\/32208"/);
  });

  const secondForm = () =>
    familyForm({ email: 'Camille.Martin@Exemple.FR', timing: 'within_6_months', targetCodes: '32107', child2_age: '', child2_schooling: '', child2_needs: '', consentShare: '' });

  test('a second application from the household signed in replaces its details, and may withdraw the consent to share', async () => {
    await new Agent(w.app).post('/candidature', familyForm());
    const [first] = await caseOf('camille.martin@exemple.fr');
    await w.ctx.db
      .updateTable('user_account')
      .set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() })
      .where('id', '=', first.user_id)
      .execute();
    const household = new Agent(w.app);
    await household.login('camille.martin@exemple.fr', PASSWORD);
    assert.equal((await household.post('/candidature', secondForm())).statusCode, 303);
    const [c] = await caseOf('camille.martin@exemple.fr');
    assert.equal(c.id, first.id);
    assert.equal(c.timing, 'within_6_months');
    assert.equal(c.consent_share, false, 'consent to share can be withdrawn by the household');
    const children = await w.ctx.db.selectFrom('case_child').select('age').where('case_id', '=', c.id).execute();
    assert.deepEqual(children.map((x) => x.age), [8]);
    const applications = await w.ctx.db.selectFrom('case_application').select('signed_in').where('case_id', '=', c.id).orderBy('id').execute();
    assert.deepEqual(applications.map((x) => x.signed_in), [false, true]);
  });

  const confirmLink = async (email: string) => {
    const mail = (await mailsTo(email)).filter((m) => /\/candidature\/confirmer\?jeton=/.test(m.text_body)).at(-1);
    assert.ok(mail, 'a confirmation mail went to the address');
    return /http:\/\/localhost:3000(\S+)/.exec(mail.text_body)![1];
  };

  test('an application with a known address, sent by someone else, is held until the address confirms it: nothing added before', async () => {
    await new Agent(w.app).post('/candidature', familyForm());
    const [before] = await caseOf('camille.martin@exemple.fr');
    const stranger = new Agent(w.app);
    const again = await stranger.post('/candidature', secondForm());
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/candidature/merci', 'the same answer as any application');
    const targets = async () => (await w.ctx.db.selectFrom('case_commune').select('insee').where('case_id', '=', before.id).orderBy('insee').execute()).map((x) => x.insee);
    const applications = async () => (await w.ctx.db.selectFrom('case_application').select('id').where('case_id', '=', before.id).execute()).length;
    assert.deepEqual(await targets(), ['32013', '32208'], 'no village added yet');
    assert.equal(await applications(), 1, 'no application added yet');

    const link = await confirmLink('camille.martin@exemple.fr');
    const page = await stranger.get(link);
    assert.equal(page.statusCode, 200, 'the link shows a confirmation form (mail scanners following links confirm nothing)');
    assert.equal(await applications(), 1);
    const token = new URL(link, 'http://x').searchParams.get('jeton')!;
    const confirmed = await stranger.post('/candidature/confirmer', { token });
    assert.equal(confirmed.statusCode, 303);
    assert.deepEqual(await targets(), ['32013', '32107', '32208'], 'villages added once confirmed');
    assert.equal(await applications(), 2);
    const [after] = await caseOf('camille.martin@exemple.fr');
    assert.equal(after.timing, before.timing, 'details untouched: the case is not rewritten by an application its owner did not send');
    assert.equal(after.consent_share, before.consent_share);
    const reused = await stranger.post('/candidature/confirmer', { token });
    assert.equal(reused.statusCode, 410, 'a confirmation link works once');
    assert.equal(await applications(), 2);
    const audit = await w.ctx.db.selectFrom('audit_event').select('action').where('action', 'like', 'newcomer_case.%').orderBy('id').execute();
    assert.deepEqual(audit.map((x) => x.action), ['newcomer_case.created', 'newcomer_case.application_held', 'newcomer_case.application_added']);
  });

  test('an application with the address of an account without a case gives it no role and no case before confirmation', async () => {
    const member = await createUser(w.ctx, { email: 'membre@exemple.fr', roles: ['member'] });
    await new Agent(w.app).post('/candidature', familyForm({ email: 'membre@exemple.fr' }));
    assert.equal((await caseOf('membre@exemple.fr')).length, 0);
    const roles = async () => (await w.ctx.db.selectFrom('role_grant').select('role').where('user_id', '=', member.id).execute()).map((r) => r.role).sort();
    assert.deepEqual(await roles(), ['member']);
    const token = new URL(await confirmLink('membre@exemple.fr'), 'http://x').searchParams.get('jeton')!;
    assert.equal((await new Agent(w.app).post('/candidature/confirmer', { token })).statusCode, 303);
    assert.equal((await caseOf('membre@exemple.fr')).length, 1);
    assert.deepEqual(await roles(), ['candidate', 'member']);
  });

  test('two applications sent at the same moment from one address still make one account and one case', async () => {
    const visitor = { userId: null, territoryId: w.ctx.territory.id, roles: new Set<never>() };
    const results = await Promise.all([
      applyToProgramme(w.ctx, visitor, familyInput(), 'fr'),
      applyToProgramme(w.ctx, visitor, familyInput({ timing: 'undecided' }), 'fr'),
      applyToProgramme(w.ctx, visitor, familyInput({ targetCodes: ['32107'] }), 'fr'),
    ]);
    assert.equal(results.filter((r) => r.status === 'applied' && r.created).length, 1);
    assert.equal(results.filter((r) => r.status === 'held').length, 2, 'the others wait for the address to confirm them');
    assert.equal((await w.ctx.db.selectFrom('user_account').select('id').execute()).length, 1);
    assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('id').execute()).length, 1);
    assert.equal((await w.ctx.db.selectFrom('case_application').select('id').execute()).length, 1);
  });

  test('a signed-in candidate finds the form filled with their latest answers; someone else gets only their address', async () => {
    await new Agent(w.app).post('/candidature', familyForm());
    await w.ctx.db
      .updateTable('user_account')
      .set({ password_hash: await hashPassword(PASSWORD), email_verified_at: w.clock.now() })
      .where('email', '=', 'camille.martin@exemple.fr')
      .execute();
    const camille = new Agent(w.app);
    await camille.login('camille.martin@exemple.fr', PASSWORD);
    const filled = await camille.get('/candidature');
    assert.match(filled.body, /value="Boulanger"/);
    assert.match(filled.body, /id="f-targetCodes-32208" name="targetCodes" value="32208" checked/);
    assert.match(filled.body, /id="f-targetCodes-32013" name="targetCodes" value="32013" checked/);

    const other = await createUser(w.ctx, { email: 'proche@exemple.fr', roles: ['candidate'] });
    const a = new Agent(w.app);
    await a.login(other.email, other.password);
    const empty = await a.get('/candidature');
    assert.match(empty.body, /value="proche@exemple.fr"/);
    assert.doesNotMatch(empty.body, /Boulanger/, 'nobody else’s answers');
  });

  test('villages picked in the finder arrive named in the form', async () => {
    const res = await new Agent(w.app).get('/candidature?communes=32013,32208,99999');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /value="32013" checked\/><label for="f-targetCodes-32013">Auch<\/label>/);
    assert.match(res.body, /value="32208" checked\/><label for="f-targetCodes-32208">Lectoure<\/label>/);
    assert.doesNotMatch(res.body, /f-targetCodes-99999/);
  });

  test('without JavaScript a village is found by part of its name, accents and case ignored: the form comes back with the matches to tick, nothing sent', async () => {
    const agent = new Agent(w.app);
    const res = await agent.post('/candidature', familyForm({ targetCodes: '32208', villageQuery: 'ISLE JOUR', chercher: '1' }));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /value="32208" checked\/><label for="f-targetCodes-32208">Lectoure<\/label>/, 'the ticked village stays ticked');
    assert.match(res.body, /name="targetCodes" value="32160"\/><label for="f-targetCodes-32160">L.Isle-Jourdain<\/label>/, 'a match to tick');
    assert.match(res.body, /value="Boulanger"/, 'the rest of the form is kept');
    assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('id').execute()).length, 0, 'a search sends nothing');
    const none = await agent.post('/candidature', familyForm({ villageQuery: 'zzzz', chercher: '1' }));
    assert.match(none.body, /Aucun village du territoire ne correspond à « zzzz »/);
    const empty = await agent.post('/candidature', familyForm({ villageQuery: ' ', chercher: '1' }));
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /id="e-villageQuery"[^>]*>Tapez au moins deux lettres/);
    // Ticked boxes arrive as one code each.
    const sent = await agent.post('/candidature', { ...familyForm(), targetCodes: ['32208', '32160'] });
    assert.equal(sent.statusCode, 303);
    const communes = await w.ctx.db.selectFrom('case_commune').select('insee').orderBy('insee').execute();
    assert.deepEqual(communes.map((c) => c.insee), ['32160', '32208']);
  });

  test('the form speaks English when asked', async () => {
    const res = await new Agent(w.app, { 'accept-language': 'en' }).get('/candidature');
    assert.match(res.body, /<html lang="en"/);
    assert.match(res.body, /Apply to settle in the Gers/);
  });
});

describe('bad input', () => {
  test('missing contact consent, an adult without a project and a child aged 40: 422, one French message per field, values kept', async () => {
    const res = await new Agent(w.app).post(
      '/candidature',
      familyForm({ consentContact: '', adult2_project: '', child1_age: '40', contactName: 'Camille <b>Martin</b>' }),
    );
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="e-consentContact"[^>]*>Cet accord est nécessaire/);
    assert.match(res.body, /id="e-adult2_project"[^>]*>Indiquez le projet professionnel de cet adulte/);
    assert.match(res.body, /id="e-child1_age"[^>]*>L’âge doit être un nombre entier entre 0 et 25 ans/);
    assert.match(res.body, /value="40"/);
    assert.match(res.body, /value="Boulanger"/, 'the other values are kept');
    assert.match(res.body, /value="Camille &lt;b>Martin&lt;\/b>"/, 'kept values are escaped');
    assert.match(res.body, /<details class="household-more" open/, 'blocks in error are open');
    assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('id').execute()).length, 0);
    assert.equal((await w.ctx.db.selectFrom('user_account').select('id').execute()).length, 0, 'no account either');
  });

  test('an unknown commune code is refused next to the field, values kept', async () => {
    const res = await new Agent(w.app).post('/candidature', familyForm({ targetCodes: '32013, 75056' }));
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="e-targetCodes"[^>]*>Au moins un de ces codes ne correspond à aucune commune/);
    assert.match(res.body, /value="32013" checked/, 'the known village stays ticked');
    assert.equal((await w.ctx.db.selectFrom('newcomer_case').select('id').execute()).length, 0);
    const malformed = await new Agent(w.app).post('/candidature', familyForm({ targetCodes: 'Auch' }));
    assert.equal(malformed.statusCode, 422);
    assert.match(malformed.body, /id="e-targetCodes"[^>]*>Un code INSEE compte cinq caractères/);
  });

  test('an empty form names every required field', async () => {
    const res = await new Agent(w.app).post('/candidature', {});
    assert.equal(res.statusCode, 422);
    for (const field of ['contactName', 'email', 'currentPlace', 'adult1_project', 'timing', 'consentContact']) {
      assert.match(res.body, new RegExp(`id="e-${field}"`), field);
    }
  });

  test('a post without the form token is refused', async () => {
    const res = await new Agent(w.app).post('/candidature', familyForm(), { csrf: null });
    assert.equal(res.statusCode, 403);
  });
});
