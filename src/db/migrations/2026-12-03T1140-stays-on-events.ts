// Frozen once merged: never edit, add a new migration instead. Migrations import nothing from src/.
//
// Discovery stays move onto the events engine (decision 0025). Each stay becomes an event of type `discovery_stay`
// in `selection` mode, and each application a registration of that event; what only the newcomers domain knows
// stays in its tables, which keep their ids (the pages' URLs and the audit log's references keep working):
// - `discovery_stay` keeps its id and gains `event_id` (unique): the title, summary, dates, deadline, seats and
//   status now live on the event (all-day event in Europe/Paris, deadline = end of the `apply_by` day as
//   `registration_closes_at`, seats = capacity, one seat per household; draft stays are draft events, open and
//   closed ones published, a closed one's applications closing at the moment it was closed). The event's place
//   is the commune of the first programme item, else the territory's first commune. Those columns are dropped.
// - `stay_programme_item` is unchanged (the programme is the newcomers domain's).
// - `stay_application` keeps its id, the case, persons coming, the household's message and the attendance, and
//   gains `registration_id` (unique): the status (applied, selected = confirmed, waiting, declined, withdrawn =
//   cancelled) and the decision's date now live on the registration, the seat counted under the event's lock.
//   The registration is in the name and address of the case's contact account.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const paris = (day: string) => sql.raw(`((${day})::timestamp at time zone 'Europe/Paris')`);
  await sql`
    insert into event_type (territory_id, key, label_fr, label_en, position)
    select distinct territory_id, 'discovery_stay', 'Séjour découverte', 'Discovery stay', 60 from discovery_stay
    on conflict (territory_id, key) do nothing`.execute(db);

  await sql`
    insert into event (territory_id, slug, title, description_md, type_id, place_kind, insee, starts_at, ends_at, all_day, audience, capacity,
                       max_seats, registration_closes_at, claim_window_hours, registration_mode, status, published_at, created_by, created_at, updated_at)
    select s.territory_id, 'sejour-decouverte-' || s.id, s.title, coalesce(s.summary, ''), t.id, 'commune',
           coalesce((select i.insee from stay_programme_item i where i.stay_id = s.id order by i.day, i.starts_at, i.id limit 1),
                    (select min(c.insee) from commune c where c.territory_id = s.territory_id)),
           ${paris('s.starts_on')}, ${paris('s.ends_on + 1')}, true, 'candidates', s.seats, 1,
           case when s.status = 'closed' then least(${paris('s.apply_by + 1')}, s.updated_at) else ${paris('s.apply_by + 1')} end,
           48, 'selection', case s.status when 'draft' then 'draft' else 'published' end,
           case when s.status <> 'draft' then s.created_at end, s.created_by, s.created_at, s.updated_at
    from discovery_stay s join event_type t on t.territory_id = s.territory_id and t.key = 'discovery_stay'`.execute(db);
  await sql`alter table discovery_stay add column event_id integer`.execute(db);
  await sql`update discovery_stay s set event_id = e.id from event e where e.territory_id = s.territory_id and e.slug = 'sejour-decouverte-' || s.id`.execute(db);

  await sql`alter table stay_application add column registration_id uuid default gen_random_uuid()`.execute(db);
  await sql`
    insert into event_registration (id, territory_id, event_id, user_id, email, name, locale, seats, status, queue_position, created_at, confirmed_at, cancelled_at, decided_at, updated_at)
    select a.registration_id, a.territory_id, s.event_id, u.id, coalesce(u.email, 'dossier-' || c.id || '@invalid.invalid'),
           coalesce(nullif(left(c.contact_name, 120), ''), '—'), coalesce(u.locale, 'fr'), 1,
           case a.status when 'selected' then 'confirmed' when 'withdrawn' then 'cancelled' else a.status end,
           row_number() over (partition by a.stay_id order by a.applied_at, a.id),
           a.applied_at, case when a.status = 'selected' then a.decided_at end, case when a.status = 'withdrawn' then coalesce(a.decided_at, a.applied_at) end,
           a.decided_at, coalesce(a.decided_at, a.applied_at)
    from stay_application a
    join discovery_stay s on s.id = a.stay_id
    join newcomer_case c on c.id = a.case_id
    left join user_account u on u.id = c.contact_user_id`.execute(db);

  await sql`alter table discovery_stay alter column event_id set not null`.execute(db);
  await sql`alter table discovery_stay add constraint discovery_stay_event_unique unique (event_id)`.execute(db);
  await sql`alter table discovery_stay add constraint discovery_stay_event_fk foreign key (territory_id, event_id) references event (territory_id, id) on delete cascade`.execute(db);
  await sql`alter table discovery_stay drop column title, drop column summary, drop column starts_on, drop column ends_on, drop column apply_by, drop column seats, drop column status, drop column updated_at`.execute(db);

  await sql`alter table stay_application alter column registration_id drop default`.execute(db);
  await sql`alter table stay_application alter column registration_id set not null`.execute(db);
  await sql`alter table stay_application add constraint stay_application_registration_unique unique (registration_id)`.execute(db);
  await sql`alter table stay_application add constraint stay_application_registration_fk foreign key (registration_id) references event_registration (id) on delete cascade`.execute(db);
  await sql`alter table stay_application drop column status, drop column decided_at, drop column decided_by`.execute(db);
  await sql`alter table stay_application add constraint stay_application_attendance_check check (attended is null or attendance_at is not null)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are not reversed; restore a backup instead.');
}
