/**
 * Demo content (DEMO mode): La Dynamo in Auch lends an open space of 12 desks, two meeting rooms, its image and
 * sound studio, a laser cutter and two 3D printers (behind a training each: a laser session in ten days, the demo
 * member authorised on the printers), with a week of bookings around today.
 * Terms and prices are examples, labelled as such on the pages through the demo banner; nothing is La Dynamo's own.
 * The demo adviser (the welcome staff account) publishes creator-support slots, one booked by the demo candidate
 * household. Idempotent: nothing is added once La Dynamo has a resource (or the adviser a slot).
 */
import type { AppContext } from '../../context.js';
import type { OpeningHours } from '../../db/schema.js';
import { addDays, isoWeekday, parisDay, parisTime } from '../../shared/time.js';
import { DEMO_ACCOUNTS, findUserByEmail } from '../accounts/index.js';
import { listThirdPlaceChoices } from '../places/index.js';
import { addDemoTrainingEvent } from '../events/index.js';
import { loadDemoTrainings } from './authorisations/index.js';
import { loadDemoAppointments } from './appointments/index.js';
import { insertDemoBooking } from './reservations/index.js';
import { createResource, findActiveResource, listActiveResources, type ResourceInput } from './resources/index.js';

const weekdays = (from: string, to: string): OpeningHours => Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ from, to }]]));
const withSaturday = (h: OpeningHours): OpeningHours => ({ ...h, '6': [{ from: '09:00', to: '13:00' }] });

const base = {
  parentId: null,
  equipment: '',
  slotMinutes: 30,
  minMinutes: 60,
  maxMinutes: 480,
  memberHorizonDays: 90,
  visitorHorizonDays: 30,
  noticeMinutes: 60,
  cancelHours: 24,
  requiresAuthorisation: false,
  active: true,
} as const;

const none = { memberHour: null, memberHalfDay: null, memberDay: null, hour: null, halfDay: null, day: null };

function resources(placeId: number): ResourceInput[] {
  return [
    {
      ...base,
      placeId,
      name: 'Open space',
      slug: 'dynamo-open-space',
      kind: 'desk',
      capacity: 12,
      description: 'Douze postes de travail en accès libre, près de la gare d’Auch : wifi, café, imprimante partagée.',
      equipment: 'Wifi fibre, écrans 24 pouces sur 4 postes, casiers',
      openingHours: withSaturday(weekdays('08:30', '19:00')),
      minMinutes: 60,
      maxMinutes: 630,
      noticeMinutes: 0,
      audience: 'visitors',
      prices: { ...none, memberHalfDay: 600, memberDay: 1000, halfDay: 800, day: 1500 },
    },
    {
      ...base,
      placeId,
      name: 'Salle Armagnac',
      slug: 'dynamo-salle-armagnac',
      kind: 'meeting_room',
      capacity: 1,
      description: 'Salle de réunion pour 8 personnes, lumière du jour, tableau blanc.',
      equipment: 'Écran 55 pouces, visioconférence, tableau blanc',
      openingHours: weekdays('08:30', '19:00'),
      audience: 'members',
      prices: { ...none, memberHour: 1000, memberHalfDay: 3500, memberDay: 6000, hour: 1500, halfDay: 5000, day: 9000 },
    },
    {
      ...base,
      placeId,
      name: 'Salle Gascogne',
      slug: 'dynamo-salle-gascogne',
      kind: 'meeting_room',
      capacity: 1,
      description: 'Petite salle pour 4 personnes, ouverte aussi aux visiteurs sans compte.',
      equipment: 'Écran, tableau blanc',
      openingHours: weekdays('08:30', '19:00'),
      audience: 'visitors',
      prices: { ...none, memberHour: 800, memberHalfDay: 2500, hour: 1200, halfDay: 4000 },
    },
    {
      ...base,
      placeId,
      name: 'Studio image et son',
      slug: 'dynamo-studio',
      kind: 'studio',
      capacity: 1,
      slotMinutes: 60,
      minMinutes: 60,
      maxMinutes: 480,
      description: 'Studio insonorisé pour podcasts, voix off et tournages courts.',
      equipment: 'Deux micros, table de mixage, fond vert, éclairage LED',
      openingHours: weekdays('09:00', '18:00'),
      audience: 'members',
      prices: { ...none, memberHour: 1500, memberHalfDay: 5000, hour: 2500 },
    },
    {
      ...base,
      placeId,
      name: 'Découpeuse laser',
      slug: 'dynamo-decoupeuse-laser',
      kind: 'machine',
      capacity: 1,
      slotMinutes: 30,
      minMinutes: 30,
      maxMinutes: 180,
      description: 'Découpe et gravure du bois, du carton et de l’acrylique, après la formation à la machine.',
      equipment: 'Plateau 60 × 40 cm, 40 W, extraction',
      openingHours: weekdays('09:00', '18:00'),
      audience: 'members',
      requiresAuthorisation: true,
      prices: { ...none, memberHour: 1000 },
    },
    ...[1, 2].map(
      (n): ResourceInput => ({
        ...base,
        placeId,
        name: `Imprimante 3D n° ${n}`,
        slug: `dynamo-imprimante-3d-${n}`,
        kind: 'machine',
        capacity: 1,
        slotMinutes: 60,
        minMinutes: 60,
        maxMinutes: 480,
        description: 'Impression par dépôt de filament (PLA, PETG), après la formation à la machine.',
        equipment: 'Volume 25 × 21 × 21 cm',
        openingHours: weekdays('09:00', '18:00'),
        audience: 'members',
        requiresAuthorisation: true,
        prices: { ...none, memberHour: 200 },
      }),
    ),
  ];
}

/** People who booked in the demo week: the demo member, and visitors with invented names. */
const VISITORS = [
  ['Inès Laffitte', 'ines.laffitte@exemple.fr'],
  ['Marc Dufour', 'marc.dufour@exemple.fr'],
  ['Sophie Castagné', 'sophie.castagne@exemple.fr'],
  ['Thomas Barrère', 'thomas.barrere@exemple.fr'],
  ['Claire Dupuy', 'claire.dupuy@exemple.fr'],
] as const;

export async function loadDemoBookings(ctx: AppContext) {
  const place = (await listThirdPlaceChoices(ctx)).find((p) => p.slug === 'la-dynamo');
  if (!place) return;
  const adviser = await findUserByEmail(ctx.db, DEMO_ACCOUNTS.find((a) => a.roles.length === 1 && a.roles[0] === 'staff')!.email);
  const candidate = await findUserByEmail(ctx.db, DEMO_ACCOUNTS.find((a) => a.roles.includes('candidate'))!.email);
  if (adviser) await loadDemoAppointments(ctx, adviser.id, place.id, candidate?.id ?? null);
  if ((await listActiveResources(ctx)).some((r) => r.place_id === place.id)) return;
  const manager = await findUserByEmail(ctx.db, DEMO_ACCOUNTS.find((a) => a.roles.includes('space_manager'))!.email);
  const member = await findUserByEmail(ctx.db, DEMO_ACCOUNTS.find((a) => a.roles.includes('member'))!.email);
  if (!manager) return;
  const actor = { userId: manager.id, territoryId: ctx.territory.id, roles: new Set(['space_manager'] as const) };
  for (const input of resources(place.id)) await createResource(ctx, actor, input);

  // A week of bookings, Monday to Friday of the current week.
  const today = parisDay(ctx.clock.now());
  const monday = addDays(today, 1 - isoWeekday(today));
  const get = async (slug: string) => (await findActiveResource(ctx, { slug }))!;
  const [desks, armagnac, gascogne, studio, printer] = await Promise.all(
    ['dynamo-open-space', 'dynamo-salle-armagnac', 'dynamo-salle-gascogne', 'dynamo-studio', 'dynamo-imprimante-3d-1'].map(get),
  );
  const at = (day: string, h: number, m = 0) => parisTime(day, h, m);
  const visitor = (i: number) => ({ userId: null, visitorName: VISITORS[i % VISITORS.length][0], visitorEmail: VISITORS[i % VISITORS.length][1] });
  for (let d = 0; d < 5; d++) {
    const day = addDays(monday, d);
    // Desks: the member most mornings, three to six visitors over the day.
    if (member && d !== 2) await insertDemoBooking(ctx, desks, at(day, 9), at(day, 13), { userId: member.id });
    for (let i = 0; i < 3 + (d % 4); i++) await insertDemoBooking(ctx, desks, at(day, 9 + (i % 2) * 5), at(day, 13 + (i % 2) * 5), visitor(i + d));
    // Rooms: a morning meeting and an afternoon workshop on some days.
    if (d % 2 === 0) await insertDemoBooking(ctx, armagnac, at(day, 10), at(day, 12), member ? { userId: member.id, note: 'Réunion de l’association' } : visitor(d));
    if (d !== 4) await insertDemoBooking(ctx, armagnac, at(day, 14), at(day, 16, 30), visitor(d + 2));
    if (d % 2 === 1) await insertDemoBooking(ctx, gascogne, at(day, 9), at(day, 10), visitor(d + 1));
    if (d === 1 || d === 3) await insertDemoBooking(ctx, studio, at(day, 14), at(day, 17), visitor(d + 3));
    if (d === 2) await insertDemoBooking(ctx, printer, at(day, 10), at(day, 15), member ? { userId: member.id, note: 'Pièces de prototype' } : visitor(d));
  }

  // Trainings: the laser cutter behind its own training, with a session in ten days; the two 3D printers behind
  // another, which the demo member has passed.
  const sessionDay = addDays(today, 10);
  const eventId = await addDemoTrainingEvent(ctx, {
    slug: `exemple-formation-decoupe-laser-${sessionDay}`,
    title: 'Formation : découpe laser en sécurité',
    description: 'Réglages, matériaux autorisés, sécurité et extraction : la formation qui ouvre la réservation de la découpeuse laser.\n\n*Événement d’exemple, chargé avec les comptes de démonstration.*',
    thirdPlaceId: place.id,
    startsAt: parisTime(sessionDay, 14),
    endsAt: parisTime(sessionDay, 17),
    capacity: 6,
    by: manager.id,
  });
  await loadDemoTrainings(ctx, { slug: 'decoupe-laser', name: 'Découpe laser', machineSlugs: ['dynamo-decoupeuse-laser'], eventId, authorised: [] });
  await loadDemoTrainings(ctx, {
    slug: 'impression-3d',
    name: 'Impression 3D',
    machineSlugs: ['dynamo-imprimante-3d-1', 'dynamo-imprimante-3d-2'],
    eventId: null,
    authorised: member ? [{ userId: member.id, grantedBy: manager.id }] : [],
  });
}
