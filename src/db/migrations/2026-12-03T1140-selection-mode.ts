// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Events: the `selection` registration mode. Design choices:
// - `event.registration_mode`: `first_come` (seats given in arrival order, the waiting list offering freed seats by
//   itself, decision 0023) or `selection` (people apply; the team selects up to the capacity, puts others on the
//   waiting list or declines them). Existing events keep `first_come`.
// - Two registration states for the second mode: `applied` (an application, holding no seat, with its arrival
//   order in `queue_position`) and `declined`. A `waiting` registration of a selection event is not offered freed
//   seats automatically: the team decides. Seats are still only confirmed + offered registrations, counted under
//   the event row's lock, so the capacity holds for both modes.
// - `decided_at`: when the team last decided on the registration (the staff lists sort on it).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table event add column registration_mode text not null default 'first_come' check (registration_mode in ('first_come', 'selection'))`.execute(db);
  await sql`alter table event_registration drop constraint event_registration_status_check`.execute(db);
  await sql`
    alter table event_registration add constraint event_registration_status_check
      check (status in ('pending', 'applied', 'confirmed', 'waiting', 'offered', 'declined', 'cancelled', 'lapsed', 'walk_in'))`.execute(db);
  await sql`alter table event_registration add column decided_at timestamptz`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}
