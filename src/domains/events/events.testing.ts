/** Test helpers for events (imported by tests only): an event's form, a published event, the jobs run until done. */
import type { AppContext } from '../../context.js';
import { JobWorker } from '../../jobs/worker.js';
import { jobHandlers } from '../../modules.js';
import { parisParts } from '../../shared/time.js';
import { EventForm } from './events.schemas.js';
import { createEvent, publishEvent, seedEventTypes } from './staff/index.js';

export { forgetKeptEvents } from './registrations/index.js';

export const staffActor = (ctx: AppContext, userId: string) => ({ userId, territoryId: ctx.territory.id, roles: new Set(['staff' as const]) });

const local = (d: Date) => {
  const p = parisParts(d);
  return `${p.day}T${p.time}`;
};

/** The staff form of a public workshop at Lectoure, three days after the clock's now, two hours long. */
export function eventForm(ctx: AppContext, overrides: Record<string, string> = {}): Record<string, string> {
  const start = new Date(ctx.clock.now().getTime() + 3 * 24 * 3600 * 1000);
  return {
    titre: 'Atelier compost',
    description: 'Apprendre à **composter**.',
    type: 'workshop',
    lieu: 'commune',
    commune: '32208',
    debut: local(start),
    fin: local(new Date(start.getTime() + 2 * 3600 * 1000)),
    public: 'public',
    places: '20',
    placesMax: '1',
    delaiReponse: '48',
    ...overrides,
  };
}

/** A published event made through the staff's use cases; returns its id and slug. */
export async function publishedEvent(ctx: AppContext, staffId: string, overrides: Record<string, string> = {}) {
  await seedEventTypes(ctx.db, ctx.territory.id);
  const input = EventForm.parse(eventForm(ctx, overrides));
  const staff = staffActor(ctx, staffId);
  const row = await createEvent(ctx, staff, input);
  await publishEvent(ctx, staff, row.id);
  return row;
}

/** Runs every due job (mail deliveries, offers' ends, reminders) until none is left. */
export async function runDueJobs(ctx: AppContext) {
  const worker = new JobWorker(ctx, jobHandlers, { batch: 50 });
  let total = 0;
  for (let ran = await worker.runOnce(); ran > 0; ran = await worker.runOnce()) total += ran;
  return total;
}
