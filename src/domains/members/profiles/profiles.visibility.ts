/**
 * The one rule of who sees what on a member's profile. Every page, the API and the data export go through
 * `visibleProfile`, so a field hidden from an audience cannot leak through another door.
 *
 * Audiences, widest first: `public` (anyone), `members` (active members), `staff` (the welcome team). A field set
 * to an audience is seen by it and by every narrower one. Nothing is public until the member opts in to the public
 * showcase; only active members are listed, except to the team and to the member themself.
 */
import type { ProfileAudience } from '../../../db/schema.js';

export const PROFILE_FIELDS = ['name', 'photo', 'activity', 'sector', 'skills', 'bio', 'commune', 'website', 'languages', 'email', 'phone'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export const AUDIENCES = ['public', 'members', 'staff'] as const satisfies readonly ProfileAudience[];

export const DEFAULT_VISIBILITY: Record<ProfileField, ProfileAudience> = {
  name: 'members',
  photo: 'members',
  activity: 'members',
  sector: 'members',
  skills: 'members',
  bio: 'members',
  commune: 'members',
  website: 'members',
  languages: 'members',
  email: 'staff',
  phone: 'staff',
};

/** Fields that may never be public, whatever is stored: the address and phone stay with members at most. */
export const NEVER_PUBLIC: ReadonlySet<ProfileField> = new Set(['email', 'phone']);

/** Who is looking: a visitor (or signed-in non-member), an active member, the team, or the member themself. */
export type Viewer = 'public' | 'members' | 'staff' | 'self';

/** The audiences a viewer belongs to (what a field's setting must be among for the viewer to see it). */
export function audiencesOf(viewer: Viewer, publicShowcase: boolean): ProfileAudience[] {
  if (viewer === 'staff' || viewer === 'self') return ['public', 'members', 'staff'];
  if (viewer === 'members') return ['public', 'members'];
  return publicShowcase ? ['public'] : [];
}

/** A stored visibility object, cleaned: unknown fields dropped, missing ones defaulted, e-mail and phone never public. */
export function normaliseVisibility(stored: Record<string, unknown> | null | undefined): Record<ProfileField, ProfileAudience> {
  const out = { ...DEFAULT_VISIBILITY };
  for (const f of PROFILE_FIELDS) {
    const v = stored?.[f];
    if (v === 'public' || v === 'members' || v === 'staff') out[f] = NEVER_PUBLIC.has(f) && v === 'public' ? 'members' : v;
  }
  return out;
}

/** Everything known about a profile, before the rule is applied. */
export interface ProfileRecord {
  memberId: string;
  slug: string;
  active: boolean;
  publicShowcase: boolean;
  visibility: Record<string, unknown>;
  name: string;
  /** The current photo's id (a new one at each upload), or null. */
  photoId: string | null;
  activity: string | null;
  sector: string | null;
  skills: string[];
  bio: string | null;
  commune: { insee: string; name: string } | null;
  website: string | null;
  languages: string[];
  email: string | null;
  phone: string | null;
  openToBusiness: boolean;
  buddyOpen: boolean;
  contactOpen: boolean;
}

/** What a viewer may see: a field is absent when hidden. */
export interface VisibleProfile {
  slug: string;
  name?: string;
  /** The photo's URLs, in both sizes. */
  photo?: { large: string; small: string };
  activity?: string;
  sector?: string;
  skills?: string[];
  bio?: string;
  commune?: { insee: string; name: string };
  website?: string;
  languages?: string[];
  email?: string;
  phone?: string;
  openToBusiness?: boolean;
  buddyOpen?: boolean;
  /** Whether the contact form is offered (never the address itself). */
  contactOpen?: boolean;
}

/**
 * The profile as `viewer` may see it, or null when the viewer may not see the entry at all (a visitor and a
 * member not in the showcase, anyone but the team and the member themself and a membership that is not active).
 */
export function visibleProfile(p: ProfileRecord, viewer: Viewer): VisibleProfile | null {
  if (!p.active && viewer !== 'staff' && viewer !== 'self') return null;
  const audiences = audiencesOf(viewer, p.publicShowcase);
  if (!audiences.length) return null;
  const vis = normaliseVisibility(p.visibility);
  const sees = (f: ProfileField) => audiences.includes(vis[f]);
  const out: VisibleProfile = { slug: p.slug };
  if (sees('name')) out.name = p.name;
  if (sees('photo') && p.photoId) out.photo = { large: photoPath(p.photoId, 'large'), small: photoPath(p.photoId, 'small') };
  if (sees('activity') && p.activity) out.activity = p.activity;
  if (sees('sector') && p.sector) out.sector = p.sector;
  if (sees('skills') && p.skills.length) out.skills = p.skills;
  if (sees('bio') && p.bio) out.bio = p.bio;
  if (sees('commune') && p.commune) out.commune = p.commune;
  if (sees('website') && p.website) out.website = p.website;
  if (sees('languages') && p.languages.length) out.languages = p.languages;
  if (sees('email') && p.email) out.email = p.email;
  if (sees('phone') && p.phone) out.phone = p.phone;
  // The openings are what the showcase is for: shown to whoever sees the entry.
  out.openToBusiness = p.openToBusiness;
  out.buddyOpen = p.buddyOpen;
  out.contactOpen = p.contactOpen && viewer !== 'self';
  return out;
}

/** Only the URL's id and size are read when a photo is asked for; the id changes with each upload, so the URL may be cached for ever. */
export const PHOTO_FILES = { large: '400.webp', small: '96.webp' } as const;
export const photoPath = (id: string, size: keyof typeof PHOTO_FILES) => `/annuaire/photos/${id}/${PHOTO_FILES[size]}`;

/** Whether visitors see the photo (the showcase and a public photo): it may then sit in shared caches. */
export const photoIsPublic = (p: Pick<ProfileRecord, 'publicShowcase' | 'visibility'>) => p.publicShowcase && normaliseVisibility(p.visibility).photo === 'public';

/** The words a search by `viewer` may match: only fields that audience sees. */
export function searchTextFor(p: ProfileRecord, viewer: 'public' | 'members'): string {
  const v = visibleProfile({ ...p, active: true, publicShowcase: viewer === 'public' ? true : p.publicShowcase }, viewer);
  if (!v) return '';
  return [v.activity, v.sector, ...(v.skills ?? []), v.bio].filter(Boolean).join(' \n ');
}
