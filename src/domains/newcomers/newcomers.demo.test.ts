import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestWorld } from '../../../tests/support/context.js';
import { actorFor, createUser } from '../../../tests/support/factories.js';
import { loadDemoOffers } from '../offers/offers.demo.js';
import { loadDemoPartnerProfile } from './index.js';
import { loadNewcomersDemo } from './newcomers.demo.js';
import { getStayForHousehold, listStaysForStaff } from './stays/stays.service.js';

const w = useTestWorld();

async function demoAccounts() {
  const staff = await createUser(w.ctx, { roles: ['staff'], email: 'accueil@demo.soho-solo.fr' });
  const admin = await createUser(w.ctx, { roles: ['admin', 'staff'], email: 'admin@demo.soho-solo.fr' });
  const household = await createUser(w.ctx, { roles: ['candidate'], email: 'candidat@demo.soho-solo.fr' });
  const member = await createUser(w.ctx, { roles: ['member'], email: 'solo@demo.soho-solo.fr' });
  const partner = await createUser(w.ctx, { roles: ['partner'], email: 'partenaire@demo.soho-solo.fr' });
  await loadDemoPartnerProfile(w.ctx, 'partenaire@demo.soho-solo.fr', { organisation: 'Mairie de Lectoure', kind: 'welcome_committee', communes: ['32208'] });
  await loadDemoOffers(w.ctx);
  return {
    household,
    member,
    partner,
    accounts: { staffId: staff.id, adminId: admin.id, candidateEmail: 'candidat@demo.soho-solo.fr', candidateId: household.id, memberId: member.id, partnerId: partner.id },
  };
}

const count = async (table: 'newcomer_case' | 'case_stage_event' | 'case_funder_tag' | 'stay_application' | 'case_share' | 'audit_event') =>
  Number((await w.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

test('the demo gives the welcome team households at most stages, dated in the past, once', async () => {
  const { household, accounts } = await demoAccounts();
  await loadNewcomersDemo(w.ctx, accounts);

  const cases = await w.ctx.db.selectFrom('newcomer_case').select(['stage', 'created_at', 'settled_on', 'contact_user_id']).execute();
  assert.equal(cases.length, 38);
  const stages = new Set(cases.map((c) => c.stage));
  for (const stage of ['nouveau', 'qualifie', 'accompagne', 'sejour_decouverte', 'installe', 'suivi', 'abandon']) assert.ok(stages.has(stage as never), `a case at ${stage}`);
  const now = w.clock.now().getTime();
  assert.ok(cases.every((c) => c.created_at.getTime() <= now), 'nothing happens in the future');
  assert.ok(cases.some((c) => now - c.created_at.getTime() > 300 * 86_400_000), 'the history spans more than a year');
  assert.ok(cases.some((c) => c.contact_user_id === household.id), 'the demo household account follows its own case');
  const events = await w.ctx.db.selectFrom('case_stage_event').select('at').execute();
  assert.ok(events.every((e) => e.at.getTime() <= now), 'no stage change in the future');

  const before = { cases: await count('newcomer_case'), events: await count('case_stage_event'), tags: await count('case_funder_tag'), stays: await count('stay_application'), shares: await count('case_share'), audit: await count('audit_event') };
  await loadNewcomersDemo(w.ctx, accounts);
  const after = { cases: await count('newcomer_case'), events: await count('case_stage_event'), tags: await count('case_funder_tag'), stays: await count('stay_application'), shares: await count('case_share'), audit: await count('audit_event') };
  assert.deepEqual(after, before, 'a second start adds nothing');
});

test('the demo tags most cases with their funders', async () => {
  const { accounts } = await demoAccounts();
  await loadNewcomersDemo(w.ctx, accounts);
  const rows = await w.ctx.db.selectFrom('case_funder_tag as ct').innerJoin('funder_tag as t', 't.id', 'ct.tag_id').select(['ct.case_id', 't.key']).execute();
  const tagged = new Set(rows.map((r) => r.case_id));
  const qualified = await w.ctx.db.selectFrom('newcomer_case').select('id').where('stage', '!=', 'nouveau').execute();
  assert.ok(tagged.size >= qualified.length * 0.7, `${tagged.size} of ${qualified.length} qualified cases tagged`);
  for (const key of ['departement', 'region', 'leader']) assert.ok(rows.some((r) => r.key === key), `a case funded by ${key}`);
});

test('the demo has a past stay with attendance and an open stay the demo household can apply to', async () => {
  const { household, accounts } = await demoAccounts();
  await loadNewcomersDemo(w.ctx, accounts);
  const today = w.clock.now().toISOString().slice(0, 10);
  const staff = await w.ctx.db.selectFrom('user_account').select('id').where('email', '=', 'accueil@demo.soho-solo.fr').executeTakeFirstOrThrow();
  const { stays } = await listStaysForStaff(w.ctx, actorFor(w.ctx, staff, ['staff']));
  assert.equal(stays.length, 2);
  const [past, open] = [...stays].sort((a, b) => a.starts_on.localeCompare(b.starts_on));
  assert.ok(past.ends_on < today && past.status === 'closed', 'the spring stay is over and closed');
  assert.ok(open.starts_on > today && open.apply_by >= today && open.status === 'open', 'the autumn stay takes applications');

  const applications = (
    await w.ctx.db.selectFrom('stay_application as a').innerJoin('event_registration as r', 'r.id', 'a.registration_id').select(['a.stay_id', 'a.case_id', 'a.attended', 'r.status']).execute()
  ).map((a) => ({ ...a, status: a.status === 'confirmed' ? 'selected' : a.status }));
  const ofPast = applications.filter((a) => a.stay_id === past.id);
  assert.ok(ofPast.filter((a) => a.status === 'selected').length >= 2, 'households were selected for the past stay');
  assert.ok(ofPast.some((a) => a.attended === true) && ofPast.some((a) => a.attended === false), 'attendance is recorded');
  const selectedOpen = applications.filter((a) => a.stay_id === open.id && a.status === 'selected').length;
  assert.ok(selectedOpen > 0 && selectedOpen < open.seats, `${selectedOpen} of ${open.seats} seats given`);

  const own = await w.ctx.db.selectFrom('newcomer_case').select('id').where('contact_user_id', '=', household.id).executeTakeFirstOrThrow();
  assert.ok(!applications.some((a) => a.case_id === own.id), 'the demo household has not applied yet');
  const page = await getStayForHousehold(w.ctx, actorFor(w.ctx, household, ['candidate']), open.id);
  assert.equal(page.canApply, true);
});

test('the demo member is a buddy from Lectoure paired with a settled household; partner shares only consenting cases', async () => {
  const { member, partner, household, accounts } = await demoAccounts();
  await loadNewcomersDemo(w.ctx, accounts);
  const buddy = await w.ctx.db.selectFrom('buddy').selectAll().where('user_id', '=', member.id).executeTakeFirstOrThrow();
  assert.equal(buddy.home_insee, '32208');
  const pairings = await w.ctx.db.selectFrom('case_buddy as p').innerJoin('newcomer_case as c', 'c.id', 'p.case_id').select(['c.stage', 'p.ended_at']).where('p.buddy_user_id', '=', member.id).execute();
  assert.equal(pairings.length, 1);
  assert.ok(['installe', 'suivi'].includes(pairings[0].stage) && pairings[0].ended_at === null, 'paired with a settled household');

  const shares = await w.ctx.db.selectFrom('case_share as s').innerJoin('newcomer_case as c', 'c.id', 's.case_id').select(['c.consent_share', 's.revoked_at']).where('s.partner_id', '=', partner.id).execute();
  assert.ok(shares.length >= 2, 'a few cases shared with the partner');
  assert.ok(shares.every((s) => s.consent_share && s.revoked_at === null), 'only cases whose household consented');
  assert.equal(Number((await w.ctx.db.selectFrom('case_partner_note').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n), 1);
  // The case with the partner's note aims at Lectoure (so its share form offers the Lectoure committee) and shows
  // the partner's recorded visit.
  const noted = await w.ctx.db.selectFrom('case_partner_note').select(['case_id', 'created_at']).executeTakeFirstOrThrow();
  const targets = await w.ctx.db.selectFrom('case_commune').select('insee').where('case_id', '=', noted.case_id).execute();
  assert.ok(targets.some((t) => t.insee === '32208'), 'the noted case targets Lectoure');
  const views = await w.ctx.db.selectFrom('case_partner_view').select(['partner_id', 'refused', 'at']).where('case_id', '=', noted.case_id).execute();
  assert.equal(views.length, 1);
  assert.ok(views[0].partner_id === partner.id && !views[0].refused && views[0].at <= noted.created_at, 'read by the partner before its note');

  const answers = await w.ctx.db.selectFrom('case_followup').select('id').where('answered_at', 'is not', null).execute();
  assert.ok(answers.length >= 2, 'follow-up answers on settled cases');
  const interests = await w.ctx.db.selectFrom('offer_interest as i').innerJoin('newcomer_case as c', 'c.id', 'i.case_id').select('c.contact_user_id').execute();
  assert.deepEqual(interests.map((i) => i.contact_user_id), [household.id], 'the demo household is interested in an offer');
});
