/**
 * Profiles, the directory, the map of solos and contacting a member. Who sees what is decided by `visibleProfile`
 * (profiles.visibility.ts) and nowhere else: every reader here maps rows through it, and searches and filters only
 * look at fields the viewer's audience sees (the repo's `audiences`).
 */
import { randomUUID } from 'node:crypto';
import type { Actor, AppContext } from '../../../context.js';
import type { ProfileAudience } from '../../../db/schema.js';
import { AppError } from '../../../shared/app-error.js';
import { parseSearchQuery } from '../../../shared/french-search.js';
import { isUuid, slugify } from '../../../shared/input.js';
import { readToBuffer, type UploadSource } from '../../../shared/uploads.js';
import { recordAudit } from '../../audit/index.js';
import { listCommuneNames, listCommunesForMap, listEpcis } from '../../territory/index.js';
import { queueTemplatedMail } from '../../mail/index.js';
import { notFound, today } from '../members.common.js';
import { assertMemberStaff, assertSignedIn, canManageMembers } from '../members.policy.js';
import * as repo from './profiles.repo.js';
import { skillKey, type ContactInput, type DirectoryQuery, type ProfileInput } from './profiles.schemas.js';
import { makePhoto, PhotoRefused, PHOTO_TYPE } from './profiles.photo.js';
import { normaliseVisibility, PHOTO_FILES, photoIsPublic, searchTextFor, visibleProfile, type ProfileRecord, type Viewer, type VisibleProfile } from './profiles.visibility.js';

export const DIRECTORY_PAGE_SIZE = 24;
/** Relayed messages per sender: at most this many per hour and per day. */
export const CONTACTS_PER_HOUR = 5;
export const CONTACTS_PER_DAY = 15;

/** A row (with or without a profile) as the visibility rule reads it. */
export function recordOf(row: repo.ProfileRow, day: string): ProfileRecord {
  return {
    memberId: row.member_id,
    slug: row.slug,
    active: row.state === 'approved' && !!row.valid_until && row.valid_until >= day,
    publicShowcase: row.public_showcase ?? false,
    visibility: normaliseVisibility(row.visibility as Record<string, unknown> | null),
    name: row.display_name ?? `${row.first_name} ${row.last_name}`,
    photoId: row.photo_id,
    activity: row.activity,
    sector: row.sector,
    skills: row.skills,
    bio: row.bio,
    commune: row.insee && row.commune_name ? { insee: row.insee, name: row.commune_name } : null,
    website: row.website,
    languages: row.languages ?? [],
    email: row.email,
    phone: row.phone,
    openToBusiness: row.open_to_business ?? false,
    buddyOpen: row.buddy_open ?? false,
    contactOpen: row.contact_open ?? true,
  };
}

/** The viewer's audience: the team, an active member, or the public (visitors and signed-in non-members). */
export async function viewerOf(ctx: AppContext, actor: Actor): Promise<Exclude<Viewer, 'self'>> {
  if (!actor.userId) return 'public';
  if (canManageMembers(actor)) return 'staff';
  return (await repo.isActiveMember(ctx.db, actor.territoryId, actor.userId, today(ctx))) ? 'members' : 'public';
}

const audiencesFor = (viewer: Exclude<Viewer, 'self'>): ProfileAudience[] =>
  viewer === 'staff' ? ['public', 'members', 'staff'] : viewer === 'members' ? ['public', 'members'] : ['public'];

/** The viewer of someone's entry: themself when it is their own. */
const viewerFor = (base: Exclude<Viewer, 'self'>, actor: Actor, row: repo.ProfileRow): Viewer => (actor.userId && row.user_id === actor.userId ? 'self' : base);

// ---------------------------------------------------------------------------------------------- my profile

async function myRow(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const row = await repo.findProfileOfUser(ctx.db, actor.territoryId, actor.userId);
  if (!row || row.state !== 'approved') throw new AppError('forbidden', 'members.profile.notMember');
  return row;
}

/** /compte/profil: the member's profile as stored, what others see of it, and the form's choices. */
export async function getMyProfile(ctx: AppContext, actor: Actor) {
  assertSignedIn(actor);
  const row = await repo.findProfileOfUser(ctx.db, actor.territoryId, actor.userId);
  if (!row || row.state !== 'approved') return null;
  const [communes, skills] = await Promise.all([listCommuneNames(ctx.db, ctx.territory.id), repo.listSkills(ctx.db, ctx.territory.id)]);
  const record = recordOf(row, today(ctx));
  return {
    record,
    saved: !!row.display_name,
    photo: visibleProfile(record, 'self')?.photo ?? null,
    photoMaxBytes: ctx.config.documentMaxBytes,
    asMembers: visibleProfile({ ...record, active: true }, 'members'),
    asPublic: visibleProfile({ ...record, active: true }, 'public'),
    communes: communes.map((c) => ({ insee: c.insee, name: c.name })),
    skillSuggestions: skills.map((s) => s.label),
  };
}
export type MyProfile = NonNullable<Awaited<ReturnType<typeof getMyProfile>>>;

/** Saves the member's profile, its skills (one per normalised key) and the words each audience may search. */
export async function saveMyProfile(ctx: AppContext, actor: Actor, input: ProfileInput) {
  const row = await myRow(ctx, actor);
  const communes = await listCommuneNames(ctx.db, ctx.territory.id);
  const commune = communes.find((c) => c.insee === input.insee);
  if (!commune) throw new AppError('invalid', 'members.join.communeUnknown', { insee: 'members.join.communeUnknown' });
  const now = ctx.clock.now();
  const record: ProfileRecord = {
    ...recordOf(row, today(ctx)),
    name: input.displayName,
    activity: input.activity,
    sector: input.sector ?? null,
    skills: input.skills,
    bio: input.bio ?? null,
    commune: { insee: commune.insee, name: commune.name },
    website: input.website ?? null,
    languages: input.languages,
    phone: input.phone ?? null,
    visibility: input.visibility,
    publicShowcase: input.publicShowcase,
  };
  const before = recordOf(row, today(ctx));
  await ctx.db.transaction().execute(async (trx) => {
    // A photo that stops (or starts) being public gets a new URL: a copy a public cache kept stops answering.
    if (row.photo_id && photoIsPublic(before) !== photoIsPublic(record)) await repo.renamePhoto(trx, row.member_id, randomUUID());
    await repo.updateMemberFields(trx, row.member_id, { activity: input.activity, insee: commune.insee, phone: input.phone ?? null, now });
    await repo.upsertProfile(trx, {
      memberId: row.member_id,
      territoryId: actor.territoryId,
      slug: `${slugify(input.displayName, 100) || 'adherent'}-${row.number}`,
      displayName: input.displayName,
      sector: input.sector ?? null,
      bio: input.bio ?? null,
      website: input.website ?? null,
      languages: input.languages,
      openToBusiness: input.openToBusiness,
      buddyOpen: input.buddyOpen,
      contactOpen: input.contactOpen,
      publicShowcase: input.publicShowcase,
      visibility: input.visibility,
      searchPublic: searchTextFor(record, 'public'),
      searchMembers: searchTextFor(record, 'members'),
      now,
    });
    await repo.setProfileSkills(trx, actor.territoryId, row.member_id, input.skills.map((label) => ({ key: skillKey(label), label })), now);
    await recordAudit(trx, ctx, actor, {
      action: 'member_profile.updated',
      subjectType: 'member',
      subjectId: row.member_id,
      data: { showcase: input.publicShowcase, buddy: input.buddyOpen, contact: input.contactOpen, visibility: input.visibility },
    });
  });
  // The public showcase and the village pages count public profiles: their cached copies are stale now.
  ctx.pageCache.clear();
}

// ---------------------------------------------------------------------------------------------- my photo

const photoError = (key: string) => new AppError('invalid', key, { photo: key });
/** The message of an upload cut at the size limit. */
export const PHOTO_TOO_LARGE = 'members.photo.tooLarge';

/**
 * Sets the member's photo from an upload: re-encoded in two sizes without metadata (profiles.photo.ts), kept in
 * the database (docs/decisions/0024-member-photos.md) under a new id, so earlier URLs stop answering.
 */
export async function setMyPhoto(ctx: AppContext, actor: Actor, source: UploadSource<Buffer>) {
  const row = await myRow(ctx, actor);
  const got = await source(readToBuffer);
  if (!got || got.file.length === 0) throw photoError('members.photo.missing');
  if (got.truncated) throw photoError(PHOTO_TOO_LARGE);
  let photo;
  try {
    photo = await makePhoto(got.file);
  } catch (error) {
    if (error instanceof PhotoRefused) throw photoError(`members.photo.${error.reason}`);
    throw error;
  }
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.upsertPhoto(trx, { memberId: row.member_id, territoryId: actor.territoryId, id, large: photo.large, small: photo.small, now: ctx.clock.now() });
    // What the photo is, never what it shows.
    await recordAudit(trx, ctx, actor, { action: 'member_profile.photo_set', subjectType: 'member', subjectId: row.member_id, data: { photo: id, bytes: photo.large.length } });
  });
  ctx.pageCache.clear();
  return id;
}

/** Removes the member's photo; removing none is not an error. */
export async function removeMyPhoto(ctx: AppContext, actor: Actor) {
  const row = await myRow(ctx, actor);
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.deletePhoto(trx, row.member_id)) {
      await recordAudit(trx, ctx, actor, { action: 'member_profile.photo_removed', subjectType: 'member', subjectId: row.member_id, data: {} });
    }
  });
  ctx.pageCache.clear();
}

/**
 * A photo's bytes, when the viewer sees the photo of that entry by the one visibility rule: an unknown id, an
 * entry hidden from the viewer and a photo shown to a narrower audience are all "not found" alike. `cache` says
 * whether shared caches may keep it (a photo visitors see) or only the viewer's browser.
 */
export async function openMemberPhoto(ctx: AppContext, actor: Actor, photoId: string, file: string) {
  const size = file === PHOTO_FILES.large ? 'large' : file === PHOTO_FILES.small ? 'small' : null;
  if (!size || !isUuid(photoId)) throw notFound();
  const row = await repo.findProfileByPhoto(ctx.db, ctx.territory.id, photoId);
  if (!row) throw notFound();
  const record = recordOf(row, today(ctx));
  const viewer = viewerFor(await viewerOf(ctx, actor), actor, row);
  if (!visibleProfile(record, viewer)?.photo) throw notFound();
  const bytes = await repo.findPhotoBytes(ctx.db, photoId, size);
  if (!bytes) throw notFound();
  return { bytes, type: PHOTO_TYPE, cache: photoIsPublic(record) && record.active ? ('public' as const) : ('private' as const) };
}

// ---------------------------------------------------------------------------------------------- the directory

export async function searchMembersDirectory(ctx: AppContext, actor: Actor, query: DirectoryQuery) {
  const viewer = await viewerOf(ctx, actor);
  const q = parseSearchQuery(query.q);
  const key = query.competence ? skillKey(query.competence) : undefined;
  const { rows, total } = await repo.searchDirectory(ctx.db, ctx.territory.id, {
    audiences: audiencesFor(viewer),
    publicOnly: viewer === 'public',
    tsquery: q?.tsquery,
    skillKey: key || undefined,
    insee: query.commune,
    epci: query.epci,
    language: query.langue,
    buddy: query.parrain,
    day: today(ctx),
    limit: DIRECTORY_PAGE_SIZE,
    offset: (query.page - 1) * DIRECTORY_PAGE_SIZE,
  });
  const day = today(ctx);
  const items = rows.map((r) => visibleProfile(recordOf(r, day), viewerFor(viewer, actor, r))).filter((v): v is VisibleProfile => !!v);
  const [communes, epcis, skills] = await Promise.all([listCommuneNames(ctx.db, ctx.territory.id), listEpcis(ctx.db, ctx.territory.id), repo.listSkills(ctx.db, ctx.territory.id, 80)]);
  return {
    viewer,
    items,
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)),
    communes: communes.map((c) => ({ insee: c.insee, name: c.name })),
    epcis,
    // Visitors are offered only skills someone shows publicly; members the ones in use.
    skills: viewer === 'public' ? [] : skills.map((s) => s.label),
  };
}
export type DirectoryPage = Awaited<ReturnType<typeof searchMembersDirectory>>;

/** One entry, as the viewer may see it; a hidden or unknown entry is "not found" alike. */
export async function getDirectoryEntry(ctx: AppContext, actor: Actor, slug: string) {
  if (!/^[a-z0-9-]{1,130}$/.test(slug)) throw notFound();
  const row = await repo.findProfileBySlug(ctx.db, ctx.territory.id, slug);
  if (!row) throw notFound();
  const viewer = viewerFor(await viewerOf(ctx, actor), actor, row);
  const entry = visibleProfile(recordOf(row, today(ctx)), viewer);
  if (!entry) throw notFound();
  return { entry, viewer, canContact: !!entry.contactOpen && !!actor.userId, signedIn: !!actor.userId };
}

/** Every skill in use (label and key, most used first), for the team's filters: the team sees every member's skills. */
export const listSkillChoices = (ctx: AppContext) => repo.listSkills(ctx.db, ctx.territory.id, 500);

// ---------------------------------------------------------------------------------------------- the map of solos

/** Active members per commune, as many as the viewer's audience may count (visitors: public showcase with a public commune). */
export async function getSolosMap(ctx: AppContext, actor: Actor) {
  const viewer = await viewerOf(ctx, actor);
  const [counts, communes] = await Promise.all([
    repo.countByCommune(ctx.db, ctx.territory.id, audiencesFor(viewer), viewer === 'public', today(ctx)),
    listCommunesForMap(ctx.db, ctx.territory.id),
  ]);
  return { viewer, day: today(ctx), counts: Object.fromEntries(counts), communes, total: [...counts.values()].reduce((a, b) => a + b, 0) };
}

/** The village page's count: members of the public showcase who show their commune publicly. */
export async function countPublicSolos(ctx: AppContext, insee: string) {
  const counts = await repo.countByCommune(ctx.db, ctx.territory.id, ['public'], true, today(ctx), insee);
  return { count: counts.get(insee) ?? 0, day: today(ctx) };
}

// ---------------------------------------------------------------------------------------------- contact

/**
 * Relays a message to a member by mail: their address stays hidden, the answer goes to the sender's address, so
 * the sender must be signed in with a verified address. The member may switch it off; each relay is logged, and a
 * sender may relay CONTACTS_PER_HOUR an hour and CONTACTS_PER_DAY a day.
 */
export async function contactMember(ctx: AppContext, actor: Actor, slug: string, input: ContactInput) {
  assertSignedIn(actor);
  const { entry } = await getDirectoryEntry(ctx, actor, slug);
  const row = (await repo.findProfileBySlug(ctx.db, ctx.territory.id, slug))!;
  if (row.user_id === actor.userId) throw new AppError('invalid', 'members.contact.self');
  if (!entry.contactOpen || !row.email || !row.locale) throw new AppError('conflict', 'members.contact.closed');
  const sender = await ctx.db.selectFrom('user_account').select(['email', 'display_name', 'email_verified_at']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!sender.email_verified_at) throw new AppError('forbidden', 'members.contact.unverified');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    // The sender's row serialises their relays, so the limits hold under concurrent posts.
    await trx.selectFrom('user_account').select('id').where('id', '=', actor.userId).forUpdate().execute();
    const lastHour = await repo.countContactsSince(trx, actor.userId, new Date(now.getTime() - 3_600_000));
    const lastDay = await repo.countContactsSince(trx, actor.userId, new Date(now.getTime() - 86_400_000));
    if (lastHour >= CONTACTS_PER_HOUR || lastDay >= CONTACTS_PER_DAY) throw new AppError('rate_limited', 'members.contact.tooMany');
    const logged = await repo.insertContact(trx, { territoryId: actor.territoryId, recipientMemberId: row.member_id, senderUserId: actor.userId, senderEmail: sender.email, subject: input.subject, message: input.message, now });
    await queueTemplatedMail(trx, ctx, {
      to: row.email!,
      locale: row.locale!,
      template: 'members.mail.contact',
      params: { sender: sender.display_name, subject: input.subject, message: input.message },
      path: '/compte/profil',
      territoryId: actor.territoryId,
      replyTo: sender.email,
    });
    return logged.id;
  });
}

/** The team's log of relayed messages (abuse handling). */
export async function listContactLog(ctx: AppContext, actor: Actor) {
  assertMemberStaff(actor);
  return repo.listContacts(ctx.db, actor.territoryId, 200);
}

// ---------------------------------------------------------------------------------------------- personal data

export async function exportProfileData(ctx: AppContext, userId: string, memberIds: { id: string; territory_id: number }[]) {
  const profiles = [];
  for (const { id, territory_id } of memberIds) {
    const row = await repo.findProfileOfMember(ctx.db, territory_id, id);
    if (!row?.display_name && !row?.photo_id) continue;
    const r = recordOf(row, today(ctx));
    const photo = await repo.findPhotoOfMember(ctx.db, id);
    profiles.push({
      ...visibleProfile(r, 'self'),
      visibility: r.visibility,
      publicShowcase: r.publicShowcase,
      contactOpen: r.contactOpen,
      // The photo itself is at its URL (signed in); the export says it exists, when it was set and its size.
      photoFile: photo ? { setAt: photo.created_at.toISOString(), type: PHOTO_TYPE, bytes: Number(photo.large_bytes), sizes: Object.values(PHOTO_FILES) } : null,
    });
  }
  const contacts = (await repo.listContactsOfUser(ctx.db, userId, memberIds.map((m) => m.id))).map((c) => ({
    direction: c.sender_user_id === userId ? 'sent' : 'received',
    sentAt: c.sent_at.toISOString(),
    subject: c.subject,
    message: c.message,
  }));
  return { profiles, contacts };
}

export const eraseProfileData = (ctx: AppContext, userId: string, memberIds: string[]) =>
  ctx.db.transaction().execute(async (trx) => {
    const n = await repo.eraseProfileData(trx, userId, memberIds, ctx.clock.now());
    ctx.pageCache.clear();
    return n;
  });
