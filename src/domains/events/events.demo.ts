/**
 * Demo agenda (DEMO mode): a dozen events over the next two months at La Dynamo and in villages, each saying it is
 * an example; one breakfast is full, with two people on its waiting list. Loaded once: nothing happens when the
 * territory already has events. A village or third place missing from the territory is skipped.
 */
import type { AppContext } from '../../context.js';
import { DAY, parisDay, parisTime } from '../../shared/time.js';
import { findUserByEmail } from '../accounts/index.js';
import { listThirdPlaceChoices } from '../places/index.js';
import { listCommuneNames } from '../territory/index.js';
import * as repo from './events.repo.js';
import { seedEventTypes } from './staff/index.js';

const EXAMPLE = '\n\n*Événement d’exemple, chargé avec les comptes de démonstration.*';

interface DemoEvent {
  title: string;
  description: string;
  type: string;
  /** Days from today, start hour and minutes, length in hours (or whole days). */
  inDays: number;
  at: [number, number];
  hours?: number;
  days?: number;
  place: { dynamo: true } | { insee: string; address?: string } | { online: string };
  audience?: 'public' | 'members' | 'candidates';
  capacity: number;
  maxSeats?: number;
  prices?: [number | null, number | null];
  organiser?: string;
  full?: boolean;
}

const EVENTS: DemoEvent[] = [
  { title: 'Petit-déjeuner des membres', description: 'Café, viennoiseries et nouvelles de chacun, avant de commencer la journée.', type: 'breakfast', inDays: 3, at: [8, 30], hours: 1.5, place: { dynamo: true }, audience: 'members', capacity: 6, maxSeats: 2, full: true },
  { title: 'Atelier : bien démarrer sa micro-entreprise', description: 'Statut, déclarations, premières factures : un atelier pratique animé par une membre comptable.', type: 'workshop', inDays: 6, at: [14, 0], hours: 2.5, place: { dynamo: true }, capacity: 12, maxSeats: 2, prices: [0, 10], organiser: 'Léa Solo' },
  { title: 'Apéro des entrepreneurs à Fleurance', description: 'Rencontrer celles et ceux qui travaillent dans le coin, autour d’un verre.', type: 'apero', inDays: 9, at: [18, 30], hours: 2, place: { insee: '32132', address: 'Place de la République' }, capacity: 40, maxSeats: 2 },
  { title: 'Club numérique : sauvegarder ses données', description: 'Un club d’entraide : chacun vient avec son ordinateur et ses questions.', type: 'club', inDays: 13, at: [17, 0], hours: 2, place: { dynamo: true }, audience: 'members', capacity: 10 },
  { title: 'Portes ouvertes de La Dynamo', description: 'Visite du tiers-lieu, rencontre de l’équipe et des membres, présentation du programme d’accueil.', type: 'open_day', inDays: 16, at: [10, 0], days: 1, place: { dynamo: true }, capacity: 80, maxSeats: 6 },
  { title: 'Formation : vendre en ligne depuis la campagne', description: 'Deux demi-journées pour ouvrir une boutique en ligne et organiser ses expéditions.', type: 'training', inDays: 20, at: [9, 0], hours: 3.5, place: { dynamo: true }, capacity: 8, prices: [40, 80] },
  { title: 'Rencontre en ligne : s’installer dans le Gers', description: 'Une heure pour poser ses questions à l’équipe d’accueil, depuis chez soi.', type: 'other', inDays: 23, at: [12, 30], hours: 1, place: { online: 'https://visio.example.org/accueil-gers' }, audience: 'candidates', capacity: 30 },
  { title: 'Petit-déjeuner à Marciac', description: 'Le petit-déjeuner des membres se déplace au sud du département.', type: 'breakfast', inDays: 27, at: [8, 30], hours: 1.5, place: { insee: '32233' }, audience: 'members', capacity: 15 },
  { title: 'Séjour découverte : Lomagne et Armagnac', description: 'Trois jours pour découvrir villages, écoles, logements et tiers-lieux, avec des habitants.', type: 'discovery_stay', inDays: 33, at: [0, 0], days: 3, place: { insee: '32208' }, audience: 'candidates', capacity: 12, maxSeats: 5 },
  { title: 'Atelier : réparer son vélo', description: 'Outils et conseils fournis ; apportez votre vélo.', type: 'workshop', inDays: 38, at: [10, 0], hours: 3, place: { insee: '32107', address: 'Salle des fêtes' }, capacity: 10 },
  { title: 'Apéro de fin d’année à La Dynamo', description: 'Chacun apporte quelque chose à partager.', type: 'apero', inDays: 45, at: [18, 0], hours: 3, place: { dynamo: true }, capacity: 60, maxSeats: 4 },
  { title: 'Club lecture à Mirande', description: 'Le livre du mois, discuté à la médiathèque.', type: 'club', inDays: 52, at: [18, 30], hours: 1.5, place: { insee: '32256', address: 'Médiathèque' }, capacity: 15 },
];

export async function loadDemoEvents(ctx: AppContext) {
  const territoryId = ctx.territory.id;
  // Other domains' demos hold events too (newcomers' discovery stays, bookings' training): only this list's own
  // examples (`exemple-<n>-<day>`) say it has already been loaded.
  const existing = await repo.listEvents(ctx.db, territoryId, { statuses: ['draft', 'published', 'cancelled'], limit: 500 });
  if (existing.some((e) => /^exemple-\d+-/.test(e.slug))) return;
  const [places, communes, member, visitor, staff] = await Promise.all([
    listThirdPlaceChoices(ctx),
    listCommuneNames(ctx.db, territoryId),
    findUserByEmail(ctx.db, 'solo@demo.soho-solo.fr'),
    findUserByEmail(ctx.db, 'visiteur@demo.soho-solo.fr'),
    findUserByEmail(ctx.db, 'accueil@demo.soho-solo.fr'),
  ]);
  const dynamo = places.find((p) => p.slug === 'la-dynamo');
  const known = new Set(communes.map((c) => c.insee));
  const now = ctx.clock.now();
  const today = parisDay(now);
  await ctx.db.transaction().execute(async (trx) => {
    await seedEventTypes(trx, territoryId);
    const types = new Map((await repo.listTypes(trx, territoryId)).map((t) => [t.key, t.id]));
    for (const [i, d] of EVENTS.entries()) {
      if ('dynamo' in d.place && !dynamo) continue;
      if ('insee' in d.place && !known.has(d.place.insee)) continue;
      const day = parisDay(new Date(parisTime(today, 12).getTime() + d.inDays * DAY));
      const startsAt = d.days ? parisTime(day, 0) : parisTime(day, d.at[0], d.at[1]);
      const endsAt = d.days ? parisTime(parisDay(new Date(parisTime(day, 12).getTime() + d.days * DAY)), 0) : new Date(startsAt.getTime() + (d.hours ?? 2) * 3_600_000);
      const row = await repo.insertEvent(trx, {
        territoryId,
        slug: `exemple-${i + 1}-${day}`,
        title: d.title,
        description_md: d.description + EXAMPLE,
        type_id: types.get(d.type)!,
        place_kind: 'dynamo' in d.place ? 'third_place' : 'online' in d.place ? 'online' : d.place.address ? 'address' : 'commune',
        third_place_id: 'dynamo' in d.place ? dynamo!.id : null,
        insee: 'insee' in d.place ? d.place.insee : null,
        address: 'insee' in d.place ? (d.place.address ?? null) : null,
        online_url: 'online' in d.place ? d.place.online : null,
        starts_at: startsAt,
        ends_at: endsAt,
        all_day: !!d.days,
        audience: d.audience ?? 'public',
        capacity: d.capacity,
        max_seats: d.maxSeats ?? 1,
        registration_opens_at: null,
        registration_closes_at: null,
        price_member_cents: d.prices?.[0] === undefined || d.prices[0] === null ? null : d.prices[0] * 100,
        price_public_cents: d.prices?.[1] === undefined || d.prices[1] === null ? null : d.prices[1] * 100,
        organiser: d.organiser ?? null,
        claim_window_hours: 48,
        registration_mode: 'first_come',
        by: staff?.id ?? null,
        now,
      });
      await repo.setEventStatus(trx, row.id, 'published', now);
      if (!d.full) continue;
      // Full: six seats taken by three members' households, two more people waiting in line.
      const people = [
        { userId: member?.id ?? null, email: 'solo@demo.soho-solo.fr', name: 'Léa Solo', seats: 2, status: 'confirmed' as const },
        { userId: null, email: 'marc.exemple@demo.soho-solo.fr', name: 'Marc Exemple', seats: 2, status: 'confirmed' as const },
        { userId: null, email: 'ines.exemple@demo.soho-solo.fr', name: 'Inès Exemple', seats: 2, status: 'confirmed' as const },
        { userId: visitor?.id ?? null, email: 'visiteur@demo.soho-solo.fr', name: 'Paul Visiteur', seats: 1, status: 'waiting' as const },
        { userId: null, email: 'sam.exemple@demo.soho-solo.fr', name: 'Sam Exemple', seats: 1, status: 'waiting' as const },
      ];
      for (const [n, p] of people.entries()) {
        await repo.insertRegistration(trx, { territoryId, eventId: row.id, userId: p.userId, email: p.email, name: p.name, locale: 'fr', seats: p.seats, status: p.status, queuePosition: n + 1, now });
      }
    }
  });
  ctx.pageCache.clear();
}
