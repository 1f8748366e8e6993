/**
 * Demo offers for a fresh demo database, so /offres, the case page suggestions and the team's list show something
 * on first start. Each says it is an example. Loaded once: nothing happens when the territory already has offers,
 * and an offer whose commune is not in the territory is skipped.
 */
import type { AppContext } from '../../context.js';
import * as repo from './offers.repo.js';
import type { OfferColumns } from './offers.schemas.js';
import { parisDay } from '../../shared/time.js';

const EXAMPLE = '\n\n*Offre d’exemple, chargée avec les comptes de démonstration.*';

type DemoOffer = Omit<OfferColumns, 'expires_on'>;

const none = {
  sector: null,
  price_min: null,
  price_max: null,
  turnover: null,
  seller_name: null,
  seller_email: null,
  seller_phone: null,
  employer: null,
  contract: null,
  remote: null,
  housing_type: null,
  price: null,
  surface_m2: null,
  rooms: null,
  available_on: null,
} satisfies Partial<OfferColumns>;

const DEMO_OFFERS: DemoOffer[] = [
  {
    ...none,
    kind: 'takeover',
    title: 'Boulangerie-pâtisserie à reprendre au cœur de Lectoure',
    description: `Boutique en centre-ville, fournil équipé, clientèle fidèle et tournées dans les villages voisins. Le cédant part à la retraite et accompagne la transition pendant trois mois.${EXAMPLE}`,
    insee: '32208',
    sector: 'food',
    price_min: 120_000,
    price_max: 160_000,
    turnover: 280_000,
    seller_name: 'Cédant de démonstration',
    seller_email: 'cedant@demo.soho-solo.fr',
  },
  {
    ...none,
    kind: 'job',
    title: 'Chargée ou chargé de projets numériques',
    description: `Une PME auscitaine cherche une personne pour piloter ses projets web. Deux jours de télétravail par semaine.${EXAMPLE}`,
    insee: '32013',
    sector: 'digital',
    employer: 'Entreprise de démonstration',
    contract: 'cdi',
    remote: true,
  },
  {
    ...none,
    kind: 'housing',
    title: 'Maison de village de quatre pièces à louer',
    description: `Maison mitoyenne avec petit jardin, à deux pas de l’école et des commerces.${EXAMPLE}`,
    insee: '32132',
    housing_type: 'rent',
    price: 750,
    surface_m2: 95,
    rooms: 4,
  },
  {
    ...none,
    kind: 'housing',
    title: 'Logement passerelle meublé pour un premier séjour',
    description: `Studio meublé proposé par la commune pour quelques mois, le temps de trouver son logement.${EXAMPLE}`,
    insee: '32107',
    housing_type: 'temporary',
    price: 420,
    surface_m2: 40,
    rooms: 2,
  },
  {
    ...none,
    kind: 'housing',
    title: 'Maison en pierre à vendre avec dépendance',
    description: `Maison gasconne rénovée, dépendance aménageable en bureau ou atelier.${EXAMPLE}`,
    insee: '32119',
    housing_type: 'sale',
    price: 185_000,
    surface_m2: 130,
    rooms: 5,
  },
];

/** Six months from today in Paris. */
function inSixMonths(day: string) {
  const [y, m] = day.split('-').map(Number);
  const month = m + 6;
  return `${y + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-28`;
}

export async function loadDemoOffers(ctx: AppContext) {
  const territoryId = ctx.territory.id;
  if (await repo.hasAnyOffer(ctx.db, territoryId)) return;
  const now = ctx.clock.now();
  const expires = inSixMonths(parisDay(now));
  await ctx.db.transaction().execute(async (trx) => {
    for (const offer of DEMO_OFFERS) {
      if (!(await repo.communeExists(trx, territoryId, offer.insee))) continue;
      await repo.insertOffer(trx, { ...offer, expires_on: expires, territory_id: territoryId, status: 'published', proposed_by: null, created_by: null, now, published_by: null });
    }
    await repo.markAllOffersDemo(trx, territoryId);
  });
  ctx.pageCache.clear();
}

/** `npm run demo:remove`: the example offers. */
export async function removeDemoOffers(ctx: AppContext) {
  const offers = await repo.deleteDemoOffers(ctx.db, ctx.territory.id);
  ctx.pageCache.clear();
  return { offers };
}
