/**
 * Demo households for a fresh embedded database: about forty cases spread over the last eighteen months, at every
 * stage, so the board, the list, the case pages and the funnel figures have something true to show. Everything
 * goes through the same use cases as real work (applications, named stage changes, notes, tasks, messages), each
 * run at its own date, so stage durations and monthly figures are consistent. Deterministic: the same demo on
 * every machine. Idempotent: nothing is added once any case exists.
 *
 * Around the cases, the rest of the journey: funder tags on most cases, a past discovery stay (its households
 * selected when their discovery stage began, attendance recorded) and an open one with seats left for the demo
 * household, the demo member as buddy of a settled household, a few consenting cases shared with the demo partner
 * (with a note from it), follow-up answers taken on the phone, and the demo household's interest in an offer.
 * The work of the last day (shares, pairing, selections for the coming stay) is dated in the past twenty-four
 * hours, after every dated step of the cases.
 */
import type { Actor, AppContext } from '../../context.js';
import type { CaseStage } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { findUserByEmail, markDemoAccounts } from '../accounts/index.js';
import { confirmBuddyPairing, saveMyBuddyOffer } from './buddies/index.js';
import { caseFollowUps, recordFollowUpByPhone } from './followups/index.js';
import { listLiveOffers, markInterest } from '../offers/index.js';
import { addPartnerNote, getSharedCase, loadDemoPartnerProfile, shareCaseWithPartner } from './partners/index.js';
import * as cases from './cases/index.js';
import type { AdultInput, ApplicationInput, ChildInput, Need, Project } from './cases/index.js';
import * as stays from './stays/index.js';
import type { StayInput } from './stays/index.js';
import { parisDay } from '../../shared/time.js';

/** Real Gers communes the demo households look at (INSEE codes of the shipped open data). */
const COMMUNES = ['32208', '32013', '32107', '32132', '32256', '32119', '32410', '32160', '32233', '32462', '32147', '32296', '32249', '32370', '32459', '32345'];
const FAMILIES = ['Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Roche'];
const FIRST_NAMES = ['Claire', 'Thomas', 'Amina', 'Julien', 'Sophie', 'Karim', 'Élodie', 'Nicolas', 'Manon', 'Hugo', 'Léa', 'Mathieu', 'Inès', 'Antoine', 'Chloé', 'Yanis'];
const FROM = ['Paris', 'Lyon', 'Bordeaux', 'Toulouse', 'Nantes', 'Lille', 'Marseille', 'Montpellier', 'Bruxelles', 'Strasbourg'];
const PROJECTS: { project: Project; profession: string; sector: string }[] = [
  { project: 'telework', profession: 'Développeuse web', sector: 'Numérique' },
  { project: 'telework', profession: 'Chef de projet', sector: 'Conseil' },
  { project: 'freelance', profession: 'Graphiste', sector: 'Communication' },
  { project: 'freelance', profession: 'Traductrice', sector: 'Services' },
  { project: 'creation', profession: 'Brasseur', sector: 'Agroalimentaire' },
  { project: 'takeover', profession: 'Boulanger', sector: 'Artisanat' },
  { project: 'job_search', profession: 'Infirmier', sector: 'Santé' },
  { project: 'job_search', profession: 'Professeure des écoles', sector: 'Éducation' },
  { project: 'other', profession: 'Maraîcher', sector: 'Agriculture' },
];
const NEEDS: Need[][] = [['housing_buy', 'schooling'], ['housing_rent', 'coworking'], ['temporary_housing', 'partner_job'], ['housing_buy', 'coworking', 'childcare'], ['housing_rent']];
const CASES = 38;
const DAY = 86_400_000;

/** A small deterministic generator: the demo is the same on every machine. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const atClock = (ctx: AppContext, at: Date | number): AppContext => ({ ...ctx, clock: { now: () => new Date(typeof at === 'number' ? at : at.getTime()) } satisfies Clock });
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const parisDayAt = (ms: number) => parisDay(new Date(ms));

/** The demo accounts the journey involves; the member, partner and household accounts are optional. */
export interface DemoAccounts {
  staffId: string;
  adminId: string;
  candidateEmail: string;
  candidateId?: string;
  memberId?: string;
  partnerId?: string;
}

/** What the demo remembers of each case it made, to build the rest of the journey around it. */
interface DemoCase {
  id: string;
  /** What the household sent. */
  input: ApplicationInput;
  stage: CaseStage;
  adviser: Actor;
  consentShare: boolean;
  targets: string[];
  isDemoHousehold: boolean;
  inPastStay: boolean;
  inOpenStay: boolean;
}

/** Seats and dates of the past stay, about four months ago: households reaching their discovery stage before it join it. */
const PAST_STAY_SEATS = 6;
const pastStayInput = (now: number): StayInput => ({
  title: 'Séjour découverte de printemps en Lomagne',
  summary: 'Trois jours pour visiter Lectoure et ses villages, rencontrer des élus, des solos et des familles installées.',
  startsOn: parisDayAt(now - 120 * DAY),
  endsOn: parisDayAt(now - 118 * DAY),
  applyBy: parisDayAt(now - 128 * DAY),
  seats: PAST_STAY_SEATS,
  status: 'open',
});
const openStayInput = (now: number): StayInput => ({
  title: 'Séjour découverte d’automne : Lectoure et Fleurance',
  summary: 'Deux jours et demi entre Lectoure et Fleurance : écoles, logements passerelle, espace de coworking et repas avec des familles installées.',
  startsOn: parisDayAt(now + 24 * DAY),
  endsOn: parisDayAt(now + 26 * DAY),
  applyBy: parisDayAt(now + 12 * DAY),
  seats: 5,
  status: 'open',
});

/**
 * The module's demo hook: Lectoure's welcome committee as the demo partner (cases aiming at Lectoure suggest it when
 * staff share them), then households at every stage of the welcome programme, followed by the demo welcome team,
 * with the demo member as a buddy, cases shared with the demo partner, discovery stays and follow-up answers. The
 * demo accounts come first (accounts module); the example offers before the households (offers module), so the
 * demo household can say one interests it.
 */
export async function loadDemo(ctx: AppContext) {
  await loadDemoPartnerProfile(ctx, 'partenaire@demo.soho-solo.fr', { organisation: 'Mairie de Lectoure', kind: 'welcome_committee', communes: ['32208'] });
  const [staff, admin, candidate, member, partner] = await Promise.all(
    ['accueil', 'admin', 'candidat', 'solo', 'partenaire'].map((name) => findUserByEmail(ctx.db, `${name}@demo.soho-solo.fr`)),
  );
  if (!staff || !admin) return;
  await loadNewcomersDemo(ctx, {
    staffId: staff.id,
    adminId: admin.id,
    candidateEmail: 'candidat@demo.soho-solo.fr',
    candidateId: candidate?.id,
    memberId: member?.id,
    partnerId: partner?.id,
  });
}

export async function loadNewcomersDemo(ctx: AppContext, accounts: DemoAccounts) {
  if (await cases.hasAnyCase(ctx.db, ctx.territory.id)) return;
  const pick = random(32_000);
  const one = <T>(list: readonly T[]) => list[Math.floor(pick() * list.length)];
  // A separate sequence for the funder tags, so they leave the households' own draws unchanged.
  const pickTag = random(32_208);
  const staff: Actor = { userId: accounts.staffId, territoryId: ctx.territory.id, roles: new Set(['staff']) };
  const admin: Actor = { userId: accounts.adminId, territoryId: ctx.territory.id, roles: new Set(['admin', 'staff']) };
  const visitor: Actor = { userId: null, territoryId: ctx.territory.id, roles: new Set() };
  const now = ctx.clock.now().getTime();
  const reasons = await cases.listDropReasonsForStaff(ctx, staff);
  const funders = await cases.listFunderTagsForStaff(ctx, staff);
  const tagId = (key: string) => funders.find((t) => t.key === key)?.id;
  const [departement, region, leader] = [tagId('departement'), tagId('region'), tagId('leader')];
  const made: DemoCase[] = [];

  const pastStay = await makePastStay(ctx, staff, now);
  let pastStaySeats = PAST_STAY_SEATS;
  /** A household whose discovery stage begins in the weeks before the past stay is enrolled and selected for it. */
  const joinPastStay = async (adviser: Actor, caseId: string, at: number, people: number) => {
    if (!pastStaySeats || at < pastStay.createdAt || parisDayAt(at) > pastStay.input.applyBy) return false;
    const { id } = await stays.enrolCase(atClock(ctx, at), adviser, caseId, { stayId: pastStay.id, people });
    const { moved } = await stays.decideApplication(atClock(ctx, at + HOUR), adviser, pastStay.id, id, 'selected');
    pastStaySeats--;
    pastStay.selected.push(id);
    return moved;
  };

  for (let i = 0; i < CASES; i++) {
    const family = FAMILIES[i % FAMILIES.length];
    const adults: AdultInput[] = [{ position: 1, firstName: one(FIRST_NAMES), ...one(PROJECTS) }];
    if (pick() < 0.7) adults.push({ position: 2, firstName: one(FIRST_NAMES), ...one(PROJECTS) });
    const children: ChildInput[] = [];
    const kids = Math.floor(pick() * 3.2);
    for (let k = 0; k < kids; k++) {
      const age = 1 + Math.floor(pick() * 15);
      children.push({ position: k + 1, age, schooling: age < 3 ? 'childcare' : age < 6 ? 'maternelle' : age < 11 ? 'elementaire' : 'college' });
    }
    const targets = [...new Set([one(COMMUNES), one(COMMUNES)])];
    const isDemoHousehold = i === CASES - 1;
    // The demo household looks at Lectoure first, where the demo partner and the demo buddy are.
    if (isDemoHousehold) targets.splice(0, targets.length, ...new Set(['32208', ...targets]));
    const input: ApplicationInput = {
      contactName: isDemoHousehold ? 'Famille Martin' : `${adults[0].firstName} ${family}`,
      email: isDemoHousehold ? accounts.candidateEmail : `${family.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${i}@exemple.fr`,
      currentPlace: `${one(FROM)}, France`,
      adults,
      children,
      targetCodes: targets,
      timing: one(['within_6_months', 'months_6_12', 'over_12_months', 'undecided'] as const),
      needs: children.length ? [...new Set<Need>([...one(NEEDS), 'schooling'])] : one(NEEDS),
      heardFrom: one(['search', 'social', 'press', 'word_of_mouth', 'event', 'institution'] as const),
      project: 'Quitter la grande ville pour un village vivant, garder notre travail et trouver une école à taille humaine.',
      consentContact: true,
      consentShare: pick() < 0.8,
    };
    // Older cases have had time to go further; the demo household is recent and accompanied.
    const recent = CASES - 1 - i; // the last few households applied in the past fortnight
    let at = isDemoHousehold ? now - 45 * DAY : recent <= 4 ? now - recent * 3 * DAY : now - Math.pow(1 - i / CASES, 1.5) * 520 * DAY;
    // The demo household's account exists already: it applies signed in, as itself (an anonymous application with a
    // known address waits for the address to confirm it).
    const applicant: Actor = isDemoHousehold && accounts.candidateId ? { userId: accounts.candidateId, territoryId: ctx.territory.id, roles: new Set(['candidate']) } : visitor;
    const created = await cases.applyToProgramme(atClock(ctx, new Date(at)), applicant, input, 'fr');
    if (created.status !== 'applied') throw new Error(`demo application held for ${created.email}`);
    const id = created.caseId;
    const adviser = pick() < 0.75 ? staff : admin;
    const rec: DemoCase = { id, stage: 'nouveau', adviser, consentShare: input.consentShare, targets, isDemoHousehold, inPastStay: false, inOpenStay: false, input };
    made.push(rec);
    const step = (min: number, max: number) => {
      at += (min + pick() * (max - min)) * DAY;
      return at < now - DAY;
    };
    if (recent > 0 && recent <= 2) continue; // still new: nobody has called them yet
    if (!step(2, 10)) continue;
    await cases.assignAdviser(atClock(ctx, new Date(at)), adviser, id, 'moi');
    await cases.qualifyCase(atClock(ctx, new Date(at)), adviser, id);
    rec.stage = 'qualifie';
    // Most qualified cases say which funders pay for the accompaniment: the Département almost always, often the
    // Région, LEADER for rural projects; a few carry none yet.
    const tags = [pickTag() < 0.85 ? departement : undefined, pickTag() < 0.45 ? region : undefined, pickTag() < 0.3 ? leader : undefined].filter((t) => t !== undefined);
    if (tags.length) await cases.setCaseFunderTags(atClock(ctx, at + 600_000), adviser, id, tags);
    await cases.addCaseNote(atClock(ctx, new Date(at)), adviser, id, 'Premier entretien téléphonique : projet clair, budget réaliste, cherche une école à pied.');
    if (isDemoHousehold) {
      await cases.startAccompaniment(atClock(ctx, new Date(at + DAY)), adviser, id);
      rec.stage = 'accompagne';
      await cases.sendStaffMessage(atClock(ctx, new Date(at + DAY)), adviser, id, 'Bonjour ! Je serai votre interlocutrice. Quand pourriez-vous venir visiter Lectoure ?');
      await cases.addCaseTask(atClock(ctx, new Date(at + DAY)), adviser, id, { title: 'Envoyer la liste des logements passerelle', dueOn: isoDay(new Date(now + 3 * DAY)) });
      continue;
    }
    if (recent > 0 && recent <= 4) continue;
    const fate = pick();
    if (fate < 0.07) {
      if (!step(10, 60)) continue;
      await cases.dropCase(atClock(ctx, new Date(at)), adviser, id, { reasonId: one(reasons).id, comment: 'Projet reporté.' });
      rec.stage = 'abandon';
      continue;
    }
    if (!step(5, 30)) continue;
    await cases.startAccompaniment(atClock(ctx, new Date(at)), adviser, id);
    rec.stage = 'accompagne';
    if (fate < 0.14) {
      if (!step(20, 60)) continue;
      await cases.putOnHold(atClock(ctx, new Date(at)), adviser, id, { comment: 'Attend la réponse de son employeur sur le télétravail.' });
      rec.stage = 'en_pause';
      continue;
    }
    if (!step(15, 60)) continue;
    rec.inPastStay = await joinPastStay(adviser, id, at, adults.length + children.length);
    if (!rec.inPastStay) await cases.startDiscoveryStay(atClock(ctx, new Date(at)), adviser, id);
    else at = Math.max(at, now - 118 * DAY); // what follows comes after the stay
    rec.stage = 'sejour_decouverte';
    if (fate < 0.2) {
      if (!step(10, 40)) continue;
      await cases.dropCase(atClock(ctx, new Date(at)), adviser, id, { reasonId: one(reasons).id });
      rec.stage = 'abandon';
      continue;
    }
    if (!step(15, 50)) continue;
    await cases.startMoving(atClock(ctx, new Date(at)), adviser, id);
    rec.stage = 'installation';
    if (!step(20, 90)) continue;
    await cases.markSettled(atClock(ctx, new Date(at)), adviser, id, { settledInsee: targets[0], settledOn: isoDay(new Date(at - 3 * DAY)) });
    rec.stage = 'installe';
    if (pick() < 0.5 || !step(30, 60)) continue;
    await cases.startFollowUp(atClock(ctx, new Date(at)), adviser, id);
    rec.stage = 'suivi';
  }

  await closePastStay(ctx, staff, pastStay);
  await loadOpenStay(ctx, staff, made, now);
  await loadFollowUpAnswers(ctx, made, now);
  if (accounts.memberId) await loadBuddy(ctx, staff, accounts.memberId, made, now);
  if (accounts.partnerId) await loadPartnerShares(ctx, accounts.partnerId, made, now);
  if (accounts.candidateId) await loadInterest(ctx, accounts.candidateId, now);
  await markDemo(ctx);
}

/**
 * Everything just loaded is marked as demo content (the demo only loads into a territory without cases, so every
 * case and stay there is the demo's), and so are the households' accounts: a server without demo mode disables them,
 * `npm run demo:remove` deletes them.
 */
async function markDemo(ctx: AppContext) {
  await ctx.db.transaction().execute(async (trx) => {
    const contacts = await cases.markAllCasesDemo(trx, ctx.territory.id);
    await stays.markAllStaysDemo(trx, ctx.territory.id);
    await markDemoAccounts(trx, [...new Set(contacts.filter((id): id is string => id !== null))]);
  });
}

/** `npm run demo:remove`: the demo households' cases and the demo stays, with all that hangs on them. */
export async function removeNewcomersDemo(ctx: AppContext) {
  return ctx.db.transaction().execute(async (trx) => ({
    cases: await cases.deleteDemoCases(trx, ctx.territory.id),
    stays: await stays.deleteDemoStays(trx, ctx.territory.id),
  }));
}


// ---------------------------------------------------------------------------------------------- discovery stays

const HOUR = 3_600_000;

/** The spring stay, published eleven weeks before it began, with its programme; households join it in the loop. */
async function makePastStay(ctx: AppContext, staff: Actor, now: number) {
  const input = pastStayInput(now);
  const createdAt = now - 200 * DAY;
  const at = atClock(ctx, createdAt);
  const { id } = await stays.createStay(at, staff, input);
  const [first, second, third] = [input.startsOn, parisDayAt(now - 119 * DAY), input.endsOn];
  const items = [
    { day: first, startsAt: '10:00', kind: 'meeting', itemTitle: 'Accueil à la mairie de Lectoure', place: 'Mairie', insee: '32208' },
    { day: first, startsAt: '14:30', kind: 'visit', itemTitle: 'Visite de l’école et du collège', insee: '32208' },
    { day: second, startsAt: '09:30', kind: 'visit', itemTitle: 'Logements passerelle et maisons à vendre', insee: '32132' },
    { day: second, startsAt: '12:30', kind: 'meal', itemTitle: 'Repas avec des familles installées', insee: '32132' },
    { day: third, startsAt: '10:00', kind: 'workshop', itemTitle: 'Atelier emploi et création d’activité', place: 'Espace de coworking', insee: '32208' },
  ] as const;
  for (const item of items) {
    try {
      await stays.addProgrammeItem(at, staff, id, item);
    } catch {
      // A territory without this commune gets a shorter programme.
    }
  }
  return { id, input, createdAt, selected: [] as number[] };
}

/** After the stay: who came (one household could not make it), then the stay is closed. */
async function closePastStay(ctx: AppContext, staff: Actor, stay: Awaited<ReturnType<typeof makePastStay>>) {
  const after = atClock(ctx, Date.parse(`${stay.input.endsOn}T16:00:00Z`));
  for (const [n, applicationId] of stay.selected.entries()) {
    await stays.recordAttendance(after, staff, stay.id, applicationId, n !== 1);
  }
  await stays.updateStay(after, staff, stay.id, { ...stay.input, status: 'closed' });
}

/**
 * The autumn stay, open for applications: households already in their discovery stage are selected, one more is
 * waiting for the team's answer, and seats remain for the demo household to apply.
 */
async function loadOpenStay(ctx: AppContext, staff: Actor, made: DemoCase[], now: number) {
  const input = openStayInput(now);
  const at = atClock(ctx, now - 14 * DAY);
  const { id } = await stays.createStay(at, staff, input);
  const items = [
    { day: input.startsOn, startsAt: '10:00', kind: 'meeting', itemTitle: 'Accueil par l’équipe du programme', insee: '32208' },
    { day: input.startsOn, startsAt: '15:00', kind: 'visit', itemTitle: 'Visite de l’espace de coworking', insee: '32208' },
    { day: parisDayAt(now + 25 * DAY), startsAt: '09:30', kind: 'visit', itemTitle: 'Écoles et logements passerelle de Fleurance', insee: '32132' },
    { day: parisDayAt(now + 25 * DAY), startsAt: '19:30', kind: 'meal', itemTitle: 'Dîner avec des solos installés', insee: '32132' },
  ] as const;
  for (const item of items) {
    try {
      await stays.addProgrammeItem(at, staff, id, item);
    } catch {
      // A territory without this commune gets a shorter programme.
    }
  }
  const candidates = [
    ...made.filter((c) => c.stage === 'sejour_decouverte' && !c.inPastStay),
    ...made.filter((c) => c.stage === 'accompagne' && !c.isDemoHousehold),
  ].slice(0, 4);
  for (const [n, c] of candidates.entries()) {
    const when = now - (20 - n) * HOUR;
    const { id: applicationId } = await stays.enrolCase(atClock(ctx, when), c.adviser, c.id, { stayId: id, people: 2 });
    c.inOpenStay = true;
    if (n < 3) {
      await stays.decideApplication(atClock(ctx, when + HOUR), c.adviser, id, applicationId, 'selected');
      c.stage = 'sejour_decouverte';
    }
  }
}

// ---------------------------------------------------------------------------------------------- after settling

const ANSWERS = [
  { stillLiving: 'yes', satisfaction: 5, housingSettled: true, workSituation: 'as_planned', comment: 'Les enfants se sont fait des amis à l’école, on ne regrette rien.' },
  { stillLiving: 'yes', satisfaction: 4, housingSettled: false, workSituation: 'under_way', comment: 'Toujours en location en attendant de trouver la maison à acheter.' },
  { stillLiving: 'moved_within', satisfaction: 4, housingSettled: true, workSituation: 'changed' },
] as const;

/** Check-ins answered on the phone a few days after they fell due, for households already in follow-up. */
async function loadFollowUpAnswers(ctx: AppContext, made: DemoCase[], now: number) {
  let n = 0;
  for (const c of made.filter((m) => m.stage === 'suivi')) {
    for (const f of await caseFollowUps(ctx.db, c.id)) {
      const at = Date.parse(`${f.due_on}T09:00:00Z`) + 4 * DAY;
      if (n >= ANSWERS.length || at > now - DAY || f.answered_at) continue;
      await recordFollowUpByPhone(atClock(ctx, at), c.adviser, c.id, f.id, { followUpId: f.id, ...ANSWERS[n++] });
    }
  }
}

/** The demo member offers to be a buddy from Lectoure and accompanies a settled household (the closest to Lectoure). */
async function loadBuddy(ctx: AppContext, staff: Actor, memberId: string, made: DemoCase[], now: number) {
  const member: Actor = { userId: memberId, territoryId: ctx.territory.id, roles: new Set(['member']) };
  await saveMyBuddyOffer(atClock(ctx, now - 400 * DAY), member, {
    homeInsee: '32208',
    projects: ['telework', 'freelance', 'creation'],
    presentation: 'Graphiste installée à Lectoure depuis 2019, mère de deux enfants. Je connais bien les écoles, le marché et le coworking.',
    maxHouseholds: 3,
  });
  const settled = made.filter((c) => c.stage === 'installe' || c.stage === 'suivi');
  const household = settled.find((c) => c.targets[0] === '32208') ?? settled[0];
  if (household) await confirmBuddyPairing(atClock(ctx, now - 16 * HOUR), staff, household.id, memberId);
}

// ---------------------------------------------------------------------------------------------- partners and offers

/**
 * Three cases still on their way, whose households consented, shared with the demo partner (households looking at
 * Lectoure first, where the partner is, then those coming to the autumn stay); it read the first, so the case page
 * shows a recorded view, and wrote a note on it.
 */
async function loadPartnerShares(ctx: AppContext, partnerId: string, made: DemoCase[], now: number) {
  const partner: Actor = { userId: partnerId, territoryId: ctx.territory.id, roles: new Set(['partner']) };
  const onTheirWay = made.filter((c) => c.consentShare && !c.isDemoHousehold && ['accompagne', 'sejour_decouverte', 'installation'].includes(c.stage));
  const rank = (c: DemoCase) => (c.targets.includes('32208') ? 0 : 2) + (c.inOpenStay ? 0 : 1);
  const shared = [...onTheirWay].sort((a, b) => rank(a) - rank(b)).slice(0, 3);
  // The case the partner reads and annotates aims at Lectoure, where the partner is: when none of the shared
  // households named it, the first one adds it with a second application, as households do.
  const noted = shared.find((c) => c.targets.includes('32208')) ?? shared[0];
  if (noted && !noted.targets.includes('32208')) {
    // From the household's own account (an anonymous application naming a known address waits for its owner).
    const owner = await ctx.db.selectFrom('user_account').select('id').where('email', '=', noted.input.email).executeTakeFirstOrThrow();
    await cases.applyToProgramme(atClock(ctx, now - 30 * HOUR), { userId: owner.id, territoryId: ctx.territory.id, roles: new Set() }, { ...noted.input, targetCodes: ['32208'] }, 'fr');
    noted.targets.unshift('32208');
  }
  for (const [n, c] of shared.entries()) await shareCaseWithPartner(atClock(ctx, now - (22 - n) * HOUR), c.adviser, c.id, partnerId);
  if (noted) {
    await getSharedCase(atClock(ctx, now - 7 * HOUR), partner, noted.id);
    await addPartnerNote(
      atClock(ctx, now - 6 * HOUR),
      partner,
      noted.id,
      'Nous avons appelé la famille : une maison communale se libère en janvier près de l’école. Visite possible lors du prochain séjour.',
    );
  }
}

/** The demo household says an offer interests it (the first live offer in its villages, or the first live offer). */
async function loadInterest(ctx: AppContext, candidateId: string, now: number) {
  const household: Actor = { userId: candidateId, territoryId: ctx.territory.id, roles: new Set(['candidate']) };
  const { rows } = await listLiveOffers(ctx, { page: 1 });
  const offer = rows.find((o) => o.insee === '32208' && o.kind === 'housing') ?? rows.find((o) => o.insee === '32208') ?? rows[0];
  if (offer) await markInterest(atClock(ctx, now), household, offer.id);
}
