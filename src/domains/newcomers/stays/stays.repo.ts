/** SQL for discovery stays: the stays, their programme, the households' applications and attendance. */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { StayApplicationStatus, StayItemKind, StayStatus } from '../../../db/schema.js';

const dateText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
const timeText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'HH24:MI')`;
/** Households selected for the stay: the seats taken. */
const seatsTaken = sql<number>`(select count(*) from stay_application a where a.stay_id = s.id and a.status = 'selected')::int`;

export interface StayValues {
  title: string;
  summary: string | null;
  starts_on: string;
  ends_on: string;
  apply_by: string;
  seats: number;
  status: StayStatus;
}

// ---------------------------------------------------------------------------------------------- stays

const stayColumns = ['s.id', 's.title', 's.summary', 's.seats', 's.status', 's.created_at', 's.updated_at'] as const;

export const listStays = (db: Executor, territoryId: number) =>
  db
    .selectFrom('discovery_stay as s')
    .select([...stayColumns, dateText('s.starts_on').as('starts_on'), dateText('s.ends_on').as('ends_on'), dateText('s.apply_by').as('apply_by')])
    .select(seatsTaken.as('taken'))
    .select(sql<number>`(select count(*) from stay_application a where a.stay_id = s.id and a.status in ('applied', 'waiting'))::int`.as('pending'))
    .where('s.territory_id', '=', territoryId)
    .orderBy('s.starts_on', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
export type StaySummary = Awaited<ReturnType<typeof listStays>>[number];

export const findStay = (db: Executor, territoryId: number, stayId: number) =>
  db
    .selectFrom('discovery_stay as s')
    .select([...stayColumns, dateText('s.starts_on').as('starts_on'), dateText('s.ends_on').as('ends_on'), dateText('s.apply_by').as('apply_by')])
    .select(seatsTaken.as('taken'))
    .where('s.territory_id', '=', territoryId)
    .where('s.id', '=', stayId)
    .executeTakeFirst();

/** Locks the stay: seats are counted and given one transaction at a time. */
export const lockStay = (db: Executor, territoryId: number, stayId: number) =>
  db
    .selectFrom('discovery_stay')
    .select(['id', 'title', 'seats', 'status', dateText('starts_on').as('starts_on'), dateText('ends_on').as('ends_on'), dateText('apply_by').as('apply_by')])
    .where('territory_id', '=', territoryId)
    .where('id', '=', stayId)
    .forUpdate()
    .executeTakeFirst();
export type LockedStay = NonNullable<Awaited<ReturnType<typeof lockStay>>>;

export const countSelected = async (db: Executor, stayId: number) =>
  Number(
    (
      await db
        .selectFrom('stay_application')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stay_id', '=', stayId)
        .where('status', '=', 'selected')
        .executeTakeFirstOrThrow()
    ).n,
  );

export const insertStay = (db: Executor, v: StayValues & { territoryId: number; by: string; now: Date }) =>
  db
    .insertInto('discovery_stay')
    .values({
      territory_id: v.territoryId,
      title: v.title,
      summary: v.summary,
      starts_on: v.starts_on,
      ends_on: v.ends_on,
      apply_by: v.apply_by,
      seats: v.seats,
      status: v.status,
      created_by: v.by,
      created_at: v.now,
      updated_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateStay = (db: Executor, stayId: number, v: StayValues & { now: Date }) =>
  db
    .updateTable('discovery_stay')
    .set({ title: v.title, summary: v.summary, starts_on: v.starts_on, ends_on: v.ends_on, apply_by: v.apply_by, seats: v.seats, status: v.status, updated_at: v.now })
    .where('id', '=', stayId)
    .execute();

// ---------------------------------------------------------------------------------------------- programme

const itemColumns = ['i.id', 'i.stay_id', 'i.kind', 'i.title', 'i.place', 'i.insee', 'c.name as commune_name'] as const;

export const listItems = (db: Executor, stayIds: number[]) =>
  stayIds.length
    ? db
        .selectFrom('stay_programme_item as i')
        .innerJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'i.territory_id').onRef('c.insee', '=', 'i.insee'))
        .select([...itemColumns, dateText('i.day').as('day'), timeText('i.starts_at').as('starts_at')])
        .where('i.stay_id', 'in', stayIds)
        .orderBy('i.day')
        .orderBy('i.starts_at')
        .orderBy('i.id')
        .execute()
    : Promise.resolve([]);
export type ProgrammeItem = Awaited<ReturnType<typeof listItems>>[number];

export const itemDaysOutside = (db: Executor, stayId: number, startsOn: string, endsOn: string) =>
  db
    .selectFrom('stay_programme_item')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stay_id', '=', stayId)
    .where((eb) => eb.or([eb('day', '<', startsOn), eb('day', '>', endsOn)]))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));

export const insertItem = (
  db: Executor,
  v: { territoryId: number; stayId: number; day: string; startsAt: string; kind: StayItemKind; title: string; place: string | null; insee: string; now: Date },
) =>
  db
    .insertInto('stay_programme_item')
    .values({
      territory_id: v.territoryId,
      stay_id: v.stayId,
      day: v.day,
      starts_at: v.startsAt,
      kind: v.kind,
      title: v.title,
      place: v.place,
      insee: v.insee,
      created_at: v.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const deleteItem = (db: Executor, stayId: number, itemId: number) =>
  db.deleteFrom('stay_programme_item').where('stay_id', '=', stayId).where('id', '=', itemId).returning(['id', 'title']).executeTakeFirst();

// ---------------------------------------------------------------------------------------------- applications

/** A new application, or nothing when the case already applied to this stay (one per case and stay). */
export const insertApplication = (db: Executor, v: { territoryId: number; stayId: number; caseId: string; people: number; message: string | null; by: string; now: Date }) =>
  db
    .insertInto('stay_application')
    .values({ territory_id: v.territoryId, stay_id: v.stayId, case_id: v.caseId, people: v.people, message: v.message, applied_at: v.now, applied_by: v.by })
    .onConflict((oc) => oc.columns(['stay_id', 'case_id']).doNothing())
    .returning('id')
    .executeTakeFirst();

export const findApplicationOfCase = (db: Executor, stayId: number, caseId: string) =>
  db.selectFrom('stay_application').select(['id', 'status', 'case_id']).where('stay_id', '=', stayId).where('case_id', '=', caseId).executeTakeFirst();

/** The application with what a decision needs: its case's contact (for the mail) and stage. */
export const findApplication = (db: Executor, stayId: number, applicationId: number) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('newcomer_case as c', 'c.id', 'a.case_id')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select(['a.id', 'a.case_id', 'a.status', 'a.attended', 'c.number', 'c.contact_name', 'u.email as contact_email', 'u.locale as contact_locale'])
    .where('a.stay_id', '=', stayId)
    .where('a.id', '=', applicationId)
    .executeTakeFirst();

export const reapply = (db: Executor, applicationId: number, v: { people: number; message: string | null; by: string; now: Date }) =>
  db
    .updateTable('stay_application')
    .set({ status: 'applied', people: v.people, message: v.message, applied_at: v.now, applied_by: v.by, decided_at: null, decided_by: null, attended: null, attendance_at: null, attendance_by: null })
    .where('id', '=', applicationId)
    .execute();

export const setStatus = (db: Executor, applicationId: number, status: StayApplicationStatus, by: string, now: Date) =>
  db
    .updateTable('stay_application')
    .set(
      status === 'withdrawn'
        ? { status, attended: null, attendance_at: null, attendance_by: null }
        : { status, decided_at: now, decided_by: by, ...(status === 'selected' ? {} : { attended: null, attendance_at: null, attendance_by: null }) },
    )
    .where('id', '=', applicationId)
    .execute();

export const setAttendance = (db: Executor, applicationId: number, attended: boolean, by: string, now: Date) =>
  db.updateTable('stay_application').set({ attended, attendance_at: now, attendance_by: by }).where('id', '=', applicationId).execute();

/** The stay's applications for staff: the household, its stage, what it asked and what was decided. */
export const listApplicationsOfStay = (db: Executor, stayId: number) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('newcomer_case as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.case_id', 'a.status', 'a.people', 'a.message', 'a.applied_at', 'a.decided_at', 'a.attended', 'c.number', 'c.contact_name', 'c.stage'])
    .where('a.stay_id', '=', stayId)
    .orderBy(sql`case a.status when 'selected' then 0 when 'applied' then 1 when 'waiting' then 2 when 'declined' then 3 else 4 end`)
    .orderBy('a.decided_at')
    .orderBy('a.applied_at')
    .orderBy('a.id')
    .execute();

/** A case's applications, with their stay, for the case page and the household's page. */
export const listApplicationsOfCase = (db: Executor, caseId: string) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('discovery_stay as s', 's.id', 'a.stay_id')
    .select(['a.id', 'a.stay_id', 'a.status', 'a.people', 'a.message', 'a.applied_at', 'a.decided_at', 'a.attended', 's.title'])
    .select([dateText('s.starts_on').as('starts_on'), dateText('s.ends_on').as('ends_on')])
    .where('a.case_id', '=', caseId)
    .orderBy('s.starts_on', 'desc')
    .execute();
export type CaseStayApplication = Awaited<ReturnType<typeof listApplicationsOfCase>>[number];

/** Stays a household can apply to today: open, deadline not passed. */
const listOpenStays = (db: Executor, territoryId: number, today: string) =>
  db
    .selectFrom('discovery_stay as s')
    .select([...stayColumns, dateText('s.starts_on').as('starts_on'), dateText('s.ends_on').as('ends_on'), dateText('s.apply_by').as('apply_by')])
    .select(seatsTaken.as('taken'))
    .where('s.territory_id', '=', territoryId)
    .where('s.status', '=', 'open')
    .where('s.apply_by', '>=', today)
    .orderBy('s.starts_on')
    .orderBy('s.id')
    .execute();

/** Stays staff may still enrol a case into: not finished. */
const listUpcomingStays = (db: Executor, territoryId: number, today: string) =>
  db
    .selectFrom('discovery_stay as s')
    .select(['s.id', 's.title', 's.status', dateText('s.starts_on').as('starts_on'), dateText('s.ends_on').as('ends_on')])
    .where('s.territory_id', '=', territoryId)
    .where('s.ends_on', '>=', today)
    .orderBy('s.starts_on')
    .execute();

/**
 * What the household's page shows: the open stays with their programme and seats left, and its own applications.
 * What the staff case page shows: the case's applications and the stays it could still be enrolled into.
 */
export async function staysOfCase(db: Executor, territoryId: number, caseId: string, today: string) {
  const [open, mine, upcoming] = await Promise.all([listOpenStays(db, territoryId, today), listApplicationsOfCase(db, caseId), listUpcomingStays(db, territoryId, today)]);
  const items = await listItems(db, open.map((s) => s.id));
  const applied = new Set(mine.map((a) => a.stay_id));
  return {
    open: open.map((s) => ({ ...s, items: items.filter((i) => i.stay_id === s.id), applied: applied.has(s.id) })),
    mine,
    enrollable: upcoming.filter((s) => !applied.has(s.id)),
  };
}
export type StaysOfCase = Awaited<ReturnType<typeof staysOfCase>>;

export const findCaseForEnrolment = (db: Executor, territoryId: number, caseId: string) =>
  db.selectFrom('newcomer_case').select(['id', 'number']).where('territory_id', '=', territoryId).where('id', '=', caseId).executeTakeFirst();

/** Demo load just ran: the territory's stays are the demo's (it only loads into a territory without cases). */
export const markAllStaysDemo = (db: Executor, territoryId: number) => db.updateTable('discovery_stay').set({ demo: true }).where('territory_id', '=', territoryId).execute();

/** `npm run demo:remove`: the demo stays go, with their programme and applications (cascade). */
export const deleteDemoStays = async (db: Executor, territoryId: number) =>
  Number((await db.deleteFrom('discovery_stay').where('territory_id', '=', territoryId).where('demo', '=', true).executeTakeFirst()).numDeletedRows);
