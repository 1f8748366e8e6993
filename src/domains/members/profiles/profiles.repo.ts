/**
 * SQL of profiles, skills, the directory, the map counts and the contact log. A member without a profile row is
 * read with the defaults (`adherent-<number>` as slug, the application's name, activity and commune).
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../../context.js';
import type { ProfileAudience } from '../../../db/schema.js';

/** The last day the member's periods pay for: `member.valid_until`, kept by a trigger on the periods (migration 2026-12-04T1100). */
const validUntil = sql<string | null>`m.valid_until::text`;
const slugOf = sql<string>`coalesce(p.slug, 'adherent-' || m.number)`;
const skillsOf = sql<string[]>`coalesce((select array_agg(t.label order by pt.position) from member_profile_tag pt join member_tag t on t.id = pt.tag_id where pt.member_id = m.id), '{}')`;
/** A field's audience, with the default when the member has no profile yet or the key is missing. */
const audienceOf = (field: string, fallback: ProfileAudience) => sql<ProfileAudience>`coalesce(p.visibility ->> ${field}, ${fallback})`;

function profileQuery(db: Executor, territoryId: number) {
  return db
    .selectFrom('member as m')
    .leftJoin('member_profile as p', 'p.member_id', 'm.id')
    .leftJoin('user_account as u', 'u.id', 'm.user_id')
    .leftJoin('commune as c', (j) => j.onRef('c.territory_id', '=', 'm.territory_id').onRef('c.insee', '=', 'm.insee'))
    .leftJoin('member_photo as ph', 'ph.member_id', 'm.id')
    .select([
      'm.id as member_id',
      'ph.id as photo_id',
      'm.number',
      'm.user_id',
      'm.state',
      'm.first_name',
      'm.last_name',
      'm.activity',
      'm.phone',
      'm.insee',
      'c.name as commune_name',
      'c.epci_siren',
      'u.email',
      'u.email_verified_at',
      'u.locale',
      'p.display_name',
      'p.sector',
      'p.bio',
      'p.website',
      'p.languages',
      'p.open_to_business',
      'p.buddy_open',
      'p.contact_open',
      'p.public_showcase',
      'p.visibility',
      'p.updated_at',
    ])
    .select([slugOf.as('slug'), skillsOf.as('skills'), validUntil.as('valid_until')])
    .where('m.territory_id', '=', territoryId)
    .where('m.anonymised_at', 'is', null);
}
export type ProfileRow = NonNullable<Awaited<ReturnType<typeof findProfileOfUser>>>;

export const findProfileOfUser = (db: Executor, territoryId: number, userId: string) => profileQuery(db, territoryId).where('m.user_id', '=', userId).executeTakeFirst();
export const findProfileOfMember = (db: Executor, territoryId: number, memberId: string) => profileQuery(db, territoryId).where('m.id', '=', memberId).executeTakeFirst();
export const findProfileBySlug = (db: Executor, territoryId: number, slug: string) => profileQuery(db, territoryId).where(slugOf, '=', slug).executeTakeFirst();

/** The entry a photo belongs to (its id is the photo's current one), for the visibility rule. */
export const findProfileByPhoto = (db: Executor, territoryId: number, photoId: string) => profileQuery(db, territoryId).where('ph.id', '=', photoId).executeTakeFirst();

/** Whether the account has an active membership today (state approved, a period running). */
export async function isActiveMember(db: Executor, territoryId: number, userId: string, day: string) {
  const row = await db
    .selectFrom('member as m')
    .select(validUntil.as('valid_until'))
    .where('m.territory_id', '=', territoryId)
    .where('m.user_id', '=', userId)
    .where('m.state', '=', 'approved')
    .executeTakeFirst();
  return !!row?.valid_until && row.valid_until >= day;
}

// ---------------------------------------------------------------------------------------------- saving

export interface ProfileValues {
  memberId: string;
  territoryId: number;
  slug: string;
  displayName: string;
  sector: string | null;
  bio: string | null;
  website: string | null;
  languages: string[];
  openToBusiness: boolean;
  buddyOpen: boolean;
  contactOpen: boolean;
  publicShowcase: boolean;
  visibility: Record<string, ProfileAudience>;
  searchPublic: string;
  searchMembers: string;
  now: Date;
}

export async function upsertProfile(db: Executor, v: ProfileValues) {
  const row = {
    slug: v.slug,
    display_name: v.displayName,
    sector: v.sector,
    bio: v.bio,
    website: v.website,
    languages: v.languages,
    open_to_business: v.openToBusiness,
    buddy_open: v.buddyOpen,
    contact_open: v.contactOpen,
    public_showcase: v.publicShowcase,
    visibility: JSON.stringify(v.visibility),
    search_public: v.searchPublic,
    search_members: v.searchMembers,
    updated_at: v.now,
  };
  await db
    .insertInto('member_profile')
    .values({ ...row, member_id: v.memberId, territory_id: v.territoryId, created_at: v.now })
    .onConflict((oc) => oc.column('member_id').doUpdateSet(row))
    .execute();
}

export const updateMemberFields = (db: Executor, memberId: string, v: { activity: string; insee: string; phone: string | null; now: Date }) =>
  db.updateTable('member').set({ activity: v.activity, insee: v.insee, outside_territory: false, phone: v.phone, updated_at: v.now }).where('id', '=', memberId).execute();

/** Finds or creates each skill by its key (the first spelling stays the label) and sets the profile's list. */
export async function setProfileSkills(db: Executor, territoryId: number, memberId: string, skills: { key: string; label: string }[], now: Date) {
  await db.deleteFrom('member_profile_tag').where('member_id', '=', memberId).execute();
  if (!skills.length) return;
  await db
    .insertInto('member_tag')
    .values(skills.map((s) => ({ territory_id: territoryId, key: s.key, label: s.label, created_at: now })))
    .onConflict((oc) => oc.columns(['territory_id', 'key']).doNothing())
    .execute();
  const tags = await db.selectFrom('member_tag').select(['id', 'key']).where('territory_id', '=', territoryId).where('key', 'in', skills.map((s) => s.key)).execute();
  const idOf = new Map(tags.map((t) => [t.key, t.id]));
  await db
    .insertInto('member_profile_tag')
    .values(skills.map((s, i) => ({ member_id: memberId, tag_id: idOf.get(s.key)!, position: i })))
    .execute();
}

/** Skills in use, most used first: the suggestions of the profile form and the directory's filter (`uses` is kept by a trigger). */
export const listSkills = (db: Executor, territoryId: number, limit = 200) =>
  db
    .selectFrom('member_tag as t')
    .select(['t.key', 't.label', 't.uses as n'])
    .where('t.territory_id', '=', territoryId)
    .where('t.uses', '>', 0)
    .orderBy('t.uses', 'desc')
    .orderBy('t.label')
    .limit(limit)
    .execute();

// ---------------------------------------------------------------------------------------------- photos

/** Sets the member's photo (replacing the previous one): `id` is new, so the old URLs stop answering. */
export async function upsertPhoto(db: Executor, v: { memberId: string; territoryId: number; id: string; large: Uint8Array; small: Uint8Array; now: Date }) {
  const row = { id: v.id, large: v.large, small: v.small, created_at: v.now };
  await db
    .insertInto('member_photo')
    .values({ ...row, member_id: v.memberId, territory_id: v.territoryId })
    .onConflict((oc) => oc.column('member_id').doUpdateSet(row))
    .execute();
}

/** A new id for the same photo: the URL that public caches may hold stops answering. */
export const renamePhoto = (db: Executor, memberId: string, id: string) => db.updateTable('member_photo').set({ id }).where('member_id', '=', memberId).execute();

export const deletePhoto = async (db: Executor, memberId: string) =>
  Number((await db.deleteFrom('member_photo').where('member_id', '=', memberId).executeTakeFirst()).numDeletedRows) > 0;

/** One size of a photo's bytes. */
export async function findPhotoBytes(db: Executor, photoId: string, size: 'large' | 'small') {
  const row = await db.selectFrom('member_photo').select(size === 'large' ? 'large as bytes' : 'small as bytes').where('id', '=', photoId).executeTakeFirst();
  return row ? Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : null;
}

export const findPhotoOfMember = (db: Executor, memberId: string) =>
  db.selectFrom('member_photo').select(['id', 'created_at', (eb) => sql<number>`octet_length(${eb.ref('large')})`.as('large_bytes')]).where('member_id', '=', memberId).executeTakeFirst();

// ---------------------------------------------------------------------------------------------- the directory

export interface DirectoryFilter {
  /** The audiences the viewer belongs to; a filter applies only to fields one of them sees. */
  audiences: ProfileAudience[];
  /** Public: only members in the showcase, searched in their public words. */
  publicOnly: boolean;
  tsquery?: string;
  skillKey?: string;
  insee?: string;
  epci?: string;
  language?: string;
  buddy?: boolean;
  day: string;
  limit: number;
  offset: number;
}

/** An active membership today: a period running until `day` or later (`valid_until` is the last day of the latest period). */
const activeOn = (day: string) => sql<SqlBool>`m.valid_until >= ${day}::date`;

/**
 * The directory, in one query: the members matching the filters are found first, on the member and profile rows
 * alone (the stored validity and French vectors, a semi-join for the skill), counted by a window over them, and only
 * the page's rows are then read in full (skills, photo, account, commune). With 10,000 members the full read of
 * every match cost seconds; a second query for the count cost as much as the page.
 */
export async function searchDirectory(db: Executor, territoryId: number, f: DirectoryFilter) {
  const sees = (field: string, fallback: ProfileAudience): Expression<SqlBool> => sql<SqlBool>`${audienceOf(field, fallback)} = any(${sql.val(f.audiences)}::text[])`;
  const tsv = f.publicOnly
    ? sql`p.search_public_tsv`
    : sql`coalesce(p.search_members_tsv, to_tsvector('french'::regconfig, public.immutable_unaccent(coalesce(m.activity, ''))))`;
  let q = db
    .selectFrom('member as m')
    .leftJoin('member_profile as p', 'p.member_id', 'm.id')
    .where('m.territory_id', '=', territoryId)
    .where('m.anonymised_at', 'is', null)
    .where('m.state', '=', 'approved')
    .where(activeOn(f.day));
  if (f.publicOnly) q = q.where('p.public_showcase', '=', true);
  if (f.tsquery) q = q.where(sql<SqlBool>`${tsv} @@ to_tsquery('french', ${f.tsquery})`);
  if (f.skillKey) {
    q = q
      .where(sees('skills', 'members'))
      .where(sql<SqlBool>`exists (select 1 from member_profile_tag pt join member_tag t on t.id = pt.tag_id where pt.member_id = m.id and t.territory_id = ${territoryId} and t.key = ${f.skillKey})`);
  }
  if (f.insee) q = q.where(sees('commune', 'members')).where('m.insee', '=', f.insee);
  if (f.epci) {
    q = q
      .where(sees('commune', 'members'))
      // The EPCI's communes computed once (an init plan), not a join the planner may multiply by every member.
      .where(sql<SqlBool>`m.insee = any(array(select c.insee from commune c where c.territory_id = ${territoryId} and c.epci_siren = ${f.epci}))`);
  }
  if (f.language) q = q.where(sees('languages', 'members')).where(sql<SqlBool>`${f.language} = any(p.languages)`);
  if (f.buddy) q = q.where('p.buddy_open', '=', true);
  const rank = f.tsquery ? sql<number>`ts_rank(${tsv}, to_tsquery('french', ${f.tsquery}))` : sql<number>`0::real`;
  const sortName = sql<string>`lower(public.immutable_unaccent(coalesce(p.display_name, m.first_name || ' ' || m.last_name)))`;
  const page = q
    .select(['m.id', 'm.number', rank.as('rank'), sortName.as('sort_name'), sql<string>`count(*) over ()`.as('total')])
    .orderBy('rank', 'desc')
    .orderBy('sort_name')
    .orderBy('m.number')
    .limit(f.limit)
    .offset(f.offset);
  const rows = await profileQuery(db, territoryId)
    .innerJoin(page.as('hit'), 'hit.id', 'm.id')
    .orderBy('hit.rank', 'desc')
    .orderBy('hit.sort_name')
    .orderBy('hit.number')
    .select('hit.total')
    .execute();
  if (rows.length) return { rows, total: Number(rows[0].total) };
  if (f.offset === 0) return { rows, total: 0 };
  // A page past the last one: only the count is left to ask.
  const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** Active members per commune, counting only those whose commune the audiences see (and, for visitors, in the showcase). */
export async function countByCommune(db: Executor, territoryId: number, audiences: ProfileAudience[], publicOnly: boolean, day: string, insee?: string) {
  let q = db
    .selectFrom('member as m')
    .leftJoin('member_profile as p', 'p.member_id', 'm.id')
    .select(['m.insee', (eb) => eb.fn.countAll<number>().as('n')])
    .where('m.territory_id', '=', territoryId)
    .where('m.anonymised_at', 'is', null)
    .where('m.state', '=', 'approved')
    .where('m.insee', 'is not', null)
    .where(activeOn(day))
    .where(sql<SqlBool>`${audienceOf('commune', 'members')} = any(${sql.val(audiences)}::text[])`);
  if (publicOnly) q = q.where('p.public_showcase', '=', true);
  if (insee) q = q.where('m.insee', '=', insee);
  const rows = await q.groupBy('m.insee').execute();
  return new Map(rows.map((r) => [r.insee!, Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------- contact log

export const insertContact = (db: Executor, v: { territoryId: number; recipientMemberId: string; senderUserId: string; senderEmail: string; subject: string; message: string; now: Date }) =>
  db
    .insertInto('member_contact')
    .values({ territory_id: v.territoryId, recipient_member_id: v.recipientMemberId, sender_user_id: v.senderUserId, sender_email: v.senderEmail, subject: v.subject, message: v.message, sent_at: v.now })
    .returning('id')
    .executeTakeFirstOrThrow();

export const countContactsSince = async (db: Executor, senderUserId: string, since: Date) =>
  Number(
    (await db.selectFrom('member_contact').select((eb) => eb.fn.countAll<number>().as('n')).where('sender_user_id', '=', senderUserId).where('sent_at', '>=', since).executeTakeFirstOrThrow()).n,
  );

export const listContacts = (db: Executor, territoryId: number, limit: number) =>
  db
    .selectFrom('member_contact as k')
    .leftJoin('member as m', 'm.id', 'k.recipient_member_id')
    .leftJoin('user_account as s', 's.id', 'k.sender_user_id')
    .select(['k.id', 'k.sent_at', 'k.subject', 'k.message', 'k.sender_email', 'k.erased_at', 'k.recipient_member_id', 'm.number as recipient_number', 'm.first_name', 'm.last_name', 's.display_name as sender_name'])
    .where('k.territory_id', '=', territoryId)
    .orderBy('k.sent_at', 'desc')
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute();

// ---------------------------------------------------------------------------------------------- personal data

export const listContactsOfUser = (db: Executor, userId: string, memberIds: string[]) =>
  db
    .selectFrom('member_contact')
    .select(['id', 'sent_at', 'subject', 'message', 'sender_user_id', 'recipient_member_id'])
    .where((eb) => eb.or([eb('sender_user_id', '=', userId), ...(memberIds.length ? [eb('recipient_member_id', 'in', memberIds)] : [])]))
    .orderBy('sent_at')
    .execute();

/** Erasure: the profile, its photo and its skills go; relayed messages keep only the date (the texts and the address go). */
export async function eraseProfileData(db: Executor, userId: string, memberIds: string[], now: Date) {
  let changed = 0;
  if (memberIds.length) changed += Number((await db.deleteFrom('member_photo').where('member_id', 'in', memberIds).executeTakeFirst()).numDeletedRows);
  if (memberIds.length) changed += Number((await db.deleteFrom('member_profile').where('member_id', 'in', memberIds).executeTakeFirst()).numDeletedRows);
  const r = await db
    .updateTable('member_contact')
    .set({ subject: null, message: null, sender_email: null, erased_at: now })
    .where((eb) => eb.or([eb('sender_user_id', '=', userId), ...(memberIds.length ? [eb('recipient_member_id', 'in', memberIds)] : [])]))
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  changed += Number(r.numUpdatedRows);
  await db.updateTable('member_contact').set({ sender_user_id: null }).where('sender_user_id', '=', userId).execute();
  return changed;
}
