/**
 * SQL for discovery stays, the newcomers side: which event each stay is (the event holds its title, dates, seats and
 * state), its programme, and the households' applications (which registration each is, with the case, the persons
 * coming, the message and attendance). The events' own tables are read and changed only through the events domain.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../context.js';
import type { StayItemKind } from '../../../db/schema.js';

const dateText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
const timeText = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'HH24:MI')`;

// ---------------------------------------------------------------------------------------------- stays

export const listStayRows = (db: Executor, territoryId: number) =>
  db.selectFrom('discovery_stay').select(['id', 'event_id', 'created_at']).where('territory_id', '=', territoryId).execute();
export type StayRow = Awaited<ReturnType<typeof listStayRows>>[number];

export const findStayRow = (db: Executor, territoryId: number, stayId: number) =>
  db.selectFrom('discovery_stay').select(['id', 'event_id', 'created_at']).where('territory_id', '=', territoryId).where('id', '=', stayId).executeTakeFirst();

export const insertStay = (db: Executor, v: { territoryId: number; eventId: number; by: string; now: Date }) =>
  db.insertInto('discovery_stay').values({ territory_id: v.territoryId, event_id: v.eventId, created_by: v.by, created_at: v.now }).returning('id').executeTakeFirstOrThrow();

/** The commune of the programme's first item: where the stay's event is said to take place. */
export const firstItemInsee = async (db: Executor, stayId: number) =>
  (await db.selectFrom('stay_programme_item').select('insee').where('stay_id', '=', stayId).orderBy('day').orderBy('starts_at').orderBy('id').executeTakeFirst())?.insee;

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
export const insertApplication = (
  db: Executor,
  v: { territoryId: number; stayId: number; caseId: string; registrationId: string; people: number; message: string | null; by: string; now: Date },
) =>
  db
    .insertInto('stay_application')
    .values({ territory_id: v.territoryId, stay_id: v.stayId, case_id: v.caseId, registration_id: v.registrationId, people: v.people, message: v.message, applied_at: v.now, applied_by: v.by })
    .onConflict((oc) => oc.columns(['stay_id', 'case_id']).doNothing())
    .returning('id')
    .executeTakeFirst();

export const findApplicationOfCase = (db: Executor, stayId: number, caseId: string) =>
  db.selectFrom('stay_application').select(['id', 'case_id', 'registration_id']).where('stay_id', '=', stayId).where('case_id', '=', caseId).executeTakeFirst();

/** The application with what a decision needs: its case's contact (for the mail). */
export const findApplication = (db: Executor, stayId: number, applicationId: number) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('newcomer_case as c', 'c.id', 'a.case_id')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select(['a.id', 'a.case_id', 'a.registration_id', 'a.attended', 'c.number', 'c.contact_name', 'u.email as contact_email', 'u.locale as contact_locale'])
    .where('a.stay_id', '=', stayId)
    .where('a.id', '=', applicationId)
    .executeTakeFirst();

/** The application behind a stay's registration, with the same as `findApplication` (a decision from the agenda). */
export const findApplicationOfRegistration = (db: Executor, territoryId: number, registrationId: string) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('newcomer_case as c', 'c.id', 'a.case_id')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select(['a.id', 'a.stay_id', 'a.case_id', 'a.registration_id', 'a.attended', 'c.number', 'c.contact_name', 'u.email as contact_email', 'u.locale as contact_locale'])
    .where('c.territory_id', '=', territoryId)
    .where('a.registration_id', '=', registrationId)
    .executeTakeFirst();

/** The case's contact, in whose name the registration is made. */
export const findCaseContact = (db: Executor, territoryId: number, caseId: string) =>
  db
    .selectFrom('newcomer_case as c')
    .innerJoin('user_account as u', 'u.id', 'c.contact_user_id')
    .select(['c.id', 'c.number', 'c.contact_name', 'u.id as user_id', 'u.email', 'u.locale'])
    .where('c.territory_id', '=', territoryId)
    .where('c.id', '=', caseId)
    .executeTakeFirst();

/** A withdrawn application sent again: its new registration, what the household says now. */
export const reapply = (db: Executor, applicationId: number, v: { registrationId: string; people: number; message: string | null; by: string; now: Date }) =>
  db
    .updateTable('stay_application')
    .set({ registration_id: v.registrationId, people: v.people, message: v.message, applied_at: v.now, applied_by: v.by, attended: null, attendance_at: null, attendance_by: null })
    .where('id', '=', applicationId)
    .execute();

/** Attendance exists only for a selected household: another decision clears it. */
export const clearAttendance = (db: Executor, applicationId: number) =>
  db.updateTable('stay_application').set({ attended: null, attendance_at: null, attendance_by: null }).where('id', '=', applicationId).execute();

export const setAttendance = (db: Executor, applicationId: number, attended: boolean, by: string, now: Date) =>
  db.updateTable('stay_application').set({ attended, attendance_at: now, attendance_by: by }).where('id', '=', applicationId).execute();

/** The stay's applications for staff: the household, its stage, what it asked. */
export const listApplicationsOfStay = (db: Executor, stayId: number) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('newcomer_case as c', 'c.id', 'a.case_id')
    .select(['a.id', 'a.case_id', 'a.registration_id', 'a.people', 'a.message', 'a.applied_at', 'a.attended', 'c.number', 'c.contact_name', 'c.stage'])
    .where('a.stay_id', '=', stayId)
    .orderBy('a.applied_at')
    .orderBy('a.id')
    .execute();

/** Applications of several stays (the list's counts). */
export const listApplicationsOfStays = (db: Executor, stayIds: number[]) =>
  stayIds.length ? db.selectFrom('stay_application').select(['id', 'stay_id', 'registration_id']).where('stay_id', 'in', stayIds).execute() : Promise.resolve([]);

/** A case's applications, with their stay's event, for the case page and the household's page. */
export const listApplicationsOfCase = (db: Executor, caseId: string) =>
  db
    .selectFrom('stay_application as a')
    .innerJoin('discovery_stay as s', 's.id', 'a.stay_id')
    .select(['a.id', 'a.stay_id', 'a.registration_id', 'a.people', 'a.message', 'a.applied_at', 'a.attended', 's.event_id'])
    .where('a.case_id', '=', caseId)
    .execute();

/** The registrations behind a case's applications (forgotten with the case). */
export const registrationIdsOfCase = async (db: Executor, caseId: string) =>
  (await db.selectFrom('stay_application').select('registration_id').where('case_id', '=', caseId).execute()).map((r) => r.registration_id);

/** Demo load just ran: the territory's stays are the demo's (it only loads into a territory without cases). */
export const markAllStaysDemo = (db: Executor, territoryId: number) => db.updateTable('discovery_stay').set({ demo: true }).where('territory_id', '=', territoryId).execute();

/** The demo stays' events (`npm run demo:remove` removes them, their stays, programme and applications following). */
export const demoStayEvents = async (db: Executor, territoryId: number) =>
  (await db.selectFrom('discovery_stay').select('event_id').where('territory_id', '=', territoryId).where('demo', '=', true).execute()).map((r) => r.event_id);
