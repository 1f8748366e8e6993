/**
 * Demo households for a fresh embedded database: about forty cases spread over the last eighteen months, at every
 * stage, so the board, the list, the case pages and the funnel figures have something true to show. Everything
 * goes through the same use cases as real work (applications, named stage changes, notes, tasks, messages), each
 * run at its own date, so stage durations and monthly figures are consistent. Deterministic: the same demo on
 * every machine. Idempotent: nothing is added once any case exists.
 */
import type { Actor, AppContext } from '../../context.js';
import type { Clock } from '../../shared/clock.js';
import * as repo from './newcomers.repo.js';
import type { AdultInput, ApplicationInput, ChildInput, Need, Project } from './newcomers.schemas.js';
import * as service from './newcomers.service.js';

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

const atClock = (ctx: AppContext, at: Date): AppContext => ({ ...ctx, clock: { now: () => new Date(at.getTime()) } satisfies Clock });
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export async function loadNewcomersDemo(ctx: AppContext, accounts: { staffId: string; adminId: string; candidateEmail: string }) {
  if (await repo.hasAnyCase(ctx.db, ctx.territory.id)) return;
  const pick = random(32_000);
  const one = <T>(list: readonly T[]) => list[Math.floor(pick() * list.length)];
  const staff: Actor = { userId: accounts.staffId, territoryId: ctx.territory.id, roles: new Set(['staff']) };
  const admin: Actor = { userId: accounts.adminId, territoryId: ctx.territory.id, roles: new Set(['admin', 'staff']) };
  const visitor: Actor = { userId: null, territoryId: ctx.territory.id, roles: new Set() };
  const now = ctx.clock.now().getTime();
  const reasons = await service.listDropReasonsForStaff(ctx, staff);

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
    const created = await service.applyToProgramme(atClock(ctx, new Date(at)), visitor, input, 'fr');
    const id = created.caseId;
    const step = (min: number, max: number) => {
      at += (min + pick() * (max - min)) * DAY;
      return at < now - DAY;
    };
    const adviser = pick() < 0.75 ? staff : admin;
    if (recent > 0 && recent <= 2) continue; // still new: nobody has called them yet
    if (!step(2, 10)) continue;
    await service.assignAdviser(atClock(ctx, new Date(at)), adviser, id, 'moi');
    await service.qualifyCase(atClock(ctx, new Date(at)), adviser, id);
    await service.addCaseNote(atClock(ctx, new Date(at)), adviser, id, 'Premier entretien téléphonique : projet clair, budget réaliste, cherche une école à pied.');
    if (isDemoHousehold) {
      await service.startAccompaniment(atClock(ctx, new Date(at + DAY)), adviser, id);
      await service.sendStaffMessage(atClock(ctx, new Date(at + DAY)), adviser, id, 'Bonjour ! Je serai votre interlocutrice. Quand pourriez-vous venir visiter Lectoure ?');
      await service.addCaseTask(atClock(ctx, new Date(at + DAY)), adviser, id, { title: 'Envoyer la liste des logements passerelle', dueOn: isoDay(new Date(now + 3 * DAY)) });
      continue;
    }
    if (recent > 0 && recent <= 4) continue;
    const fate = pick();
    if (fate < 0.07) {
      if (!step(10, 60)) continue;
      await service.dropCase(atClock(ctx, new Date(at)), adviser, id, { reasonId: one(reasons).id, comment: 'Projet reporté.' });
      continue;
    }
    if (!step(5, 30)) continue;
    await service.startAccompaniment(atClock(ctx, new Date(at)), adviser, id);
    if (fate < 0.14) {
      if (!step(20, 60)) continue;
      await service.putOnHold(atClock(ctx, new Date(at)), adviser, id, { comment: 'Attend la réponse de son employeur sur le télétravail.' });
      continue;
    }
    if (!step(15, 60)) continue;
    await service.startDiscoveryStay(atClock(ctx, new Date(at)), adviser, id);
    if (fate < 0.2) {
      if (!step(10, 40)) continue;
      await service.dropCase(atClock(ctx, new Date(at)), adviser, id, { reasonId: one(reasons).id });
      continue;
    }
    if (!step(15, 50)) continue;
    await service.startMoving(atClock(ctx, new Date(at)), adviser, id);
    if (!step(20, 90)) continue;
    await service.markSettled(atClock(ctx, new Date(at)), adviser, id, { settledInsee: targets[0], settledOn: isoDay(new Date(at - 3 * DAY)) });
    if (pick() < 0.5 || !step(30, 60)) continue;
    await service.startFollowUp(atClock(ctx, new Date(at)), adviser, id);
  }
}
