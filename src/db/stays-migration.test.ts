/**
 * The migration that moves discovery stays onto the events engine, run on a database holding stays of the old
 * shape: each stay becomes an event (dates in Paris, deadline, seats, state) and each application a registration
 * (state, arrival order), and the stays and applications keep their ids, tied to their event and registration.
 * Embedded database only (the migration's SQL is the same on PostgreSQL; the whole suite runs it there on an empty
 * schema).
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { FileMigrationProvider, Kysely, Migrator, sql } from 'kysely';
import { isPostgresRun } from '../../tests/support/context.js';
import { pgliteExtensions } from './database.js';
import { migrationFolder } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';

test('existing stays and applications move onto events and registrations, ids kept', { skip: isPostgresRun() }, async () => {
  const pgl = await PGlite.create({ extensions: pgliteExtensions });
  const db = new Kysely<any>({ dialect: new PGliteDialect(pgl) });
  try {
    const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }), migrationTableName: 'schema_migration', migrationLockTableName: 'schema_migration_lock' });
    const before = await migrator.migrateTo('2026-12-03T1140-selection-mode');
    assert.equal(before.error, undefined);

    await sql`insert into territory (id, slug, name, programme_name) overriding system value values (1, 'gers', 'Gers', 'Soho Solo')`.execute(db);
    await sql`insert into dataset (id, territory_id, key, title, publisher, edition, licence, attribution, imported_at) overriding system value values (1, 1, 'cog', 'COG', 'Insee', '2026', 'Licence ouverte', 'Insee', now())`.execute(db);
    for (const [insee, name] of [['32013', 'Auch'], ['32208', 'Lectoure']]) {
      await sql`insert into commune (territory_id, insee, name, lat, lon, identity_dataset_id, centre_dataset_id) values (1, ${insee}, ${name}, 43.6, 0.5, 1, 1)`.execute(db);
    }
    const users = [];
    for (const n of [1, 2, 3]) {
      const u = await sql<{ id: string }>`insert into user_account (email, display_name) values (${`foyer${n}@exemple.fr`}, ${`Foyer ${n}`}) returning id`.execute(db);
      users.push(u.rows[0].id);
    }
    const cases = [];
    for (const [i, u] of users.entries()) {
      const c = await sql<{ id: string }>`
        insert into newcomer_case (territory_id, contact_user_id, contact_name, current_place, timing, consent_contact_at, stage_changed_at, created_at, updated_at)
        values (1, ${u}, ${`Famille ${i + 1}`}, 'Lyon', 'undecided', now(), now(), now(), now()) returning id`.execute(db);
      cases.push(c.rows[0].id);
    }
    // An open stay across the October change of time, and a closed one; ids chosen far from 1 to show they are kept.
    await sql`
      insert into discovery_stay (id, territory_id, title, summary, starts_on, ends_on, apply_by, seats, status, created_at, updated_at) overriding system value values
        (41, 1, 'Séjour d’automne', 'Trois jours à Lectoure.', '2026-10-24', '2026-10-26', '2026-10-10', 2, 'open', '2026-09-01T08:00:00Z', '2026-09-01T08:00:00Z'),
        (42, 1, 'Séjour de printemps', null, '2026-04-10', '2026-04-12', '2026-04-01', 3, 'closed', '2026-02-01T08:00:00Z', '2026-03-20T08:00:00Z')`.execute(db);
    await sql`insert into stay_programme_item (territory_id, stay_id, day, starts_at, kind, title, insee, created_at) values (1, 41, '2026-10-24', '10:00', 'visit', 'Visite', '32208', now())`.execute(db);
    await sql`
      insert into stay_application (id, territory_id, stay_id, case_id, status, people, message, applied_at, decided_at, attended, attendance_at) overriding system value values
        (7, 1, 41, ${cases[0]}, 'selected', 4, 'Avec les enfants.', '2026-09-02T08:00:00Z', '2026-09-05T08:00:00Z', null, null),
        (8, 1, 41, ${cases[1]}, 'waiting', 2, null, '2026-09-03T08:00:00Z', '2026-09-05T09:00:00Z', null, null),
        (9, 1, 41, ${cases[2]}, 'withdrawn', 1, null, '2026-09-04T08:00:00Z', null, null, null),
        (10, 1, 42, ${cases[0]}, 'selected', 3, null, '2026-03-01T08:00:00Z', '2026-03-02T08:00:00Z', true, '2026-04-12T18:00:00Z')`.execute(db);

    const after = await migrator.migrateToLatest();
    assert.equal(after.error, undefined, String(after.error));

    const stays = (await sql<{ id: number; event_id: number }>`select id, event_id from discovery_stay order by id`.execute(db)).rows;
    assert.deepEqual(stays.map((s) => s.id), [41, 42], 'stay ids are kept');
    const events = (
      await sql<Record<string, unknown>>`
        select e.id, e.title, e.description_md, e.insee, e.starts_at, e.ends_at, e.all_day, e.capacity, e.max_seats, e.registration_closes_at, e.status, e.registration_mode, e.audience, t.key
        from event e join event_type t on t.id = e.type_id order by e.id`.execute(db)
    ).rows;
    const autumn = events.find((e) => e.id === stays[0].event_id)!;
    assert.equal(autumn.title, 'Séjour d’automne');
    assert.equal(autumn.key, 'discovery_stay');
    assert.equal(autumn.registration_mode, 'selection');
    assert.equal(autumn.status, 'published');
    assert.equal(autumn.insee, '32208', 'the commune of the first programme item');
    assert.equal(autumn.capacity, 2);
    assert.equal(autumn.max_seats, 1);
    assert.equal(autumn.all_day, true);
    assert.equal((autumn.starts_at as Date).toISOString(), '2026-10-23T22:00:00.000Z', 'midnight in Paris, summer time');
    assert.equal((autumn.ends_at as Date).toISOString(), '2026-10-26T23:00:00.000Z', 'end of the last day, winter time');
    assert.equal((autumn.registration_closes_at as Date).toISOString(), '2026-10-10T22:00:00.000Z', 'end of the deadline day');
    const spring = events.find((e) => e.id === stays[1].event_id)!;
    assert.equal(spring.insee, '32013', 'no programme: the territory’s first commune');
    assert.equal((spring.registration_closes_at as Date).toISOString(), '2026-03-20T08:00:00.000Z', 'a closed stay closed its applications when it was closed');

    const applications = (
      await sql<{ id: number; status: string; queue_position: number; people: number; attended: boolean | null; email: string; decided_at: Date | null }>`
        select a.id, r.status, r.queue_position, a.people, a.attended, r.email, r.decided_at
        from stay_application a join event_registration r on r.id = a.registration_id order by a.id`.execute(db)
    ).rows;
    assert.deepEqual(
      applications.map((a) => [a.id, a.status, a.queue_position, a.people, a.attended, a.email]),
      [
        [7, 'confirmed', 1, 4, null, 'foyer1@exemple.fr'],
        [8, 'waiting', 2, 2, null, 'foyer2@exemple.fr'],
        [9, 'cancelled', 3, 1, null, 'foyer3@exemple.fr'],
        [10, 'confirmed', 1, 3, true, 'foyer1@exemple.fr'],
      ],
    );
    assert.equal(applications[0].decided_at?.toISOString(), '2026-09-05T08:00:00.000Z');
    const seats = (await sql<{ n: number }>`select sum(seats)::int as n from event_registration where event_id = ${autumn.id as number} and status = 'confirmed'`.execute(db)).rows[0].n;
    assert.equal(seats, 1, 'one seat per household');
  } finally {
    await db.destroy();
  }
});
