/**
 * Demo profiles: every approved demo member gets skills matching their activity, a short presentation, languages;
 * one in three joins the public showcase (name, activity, skills and commune public), one in five offers to be a
 * buddy. Written through the same visibility rule as real profiles (the search words per audience).
 */
import type { AppContext, Executor } from '../../../context.js';
import { slugify } from '../../../shared/input.js';
import { today } from '../members.common.js';
import { demoSkillsOf, isFeminineDemoName } from '../members.demo-people.js';
import * as repo from './profiles.repo.js';
import { skillKey } from './profiles.schemas.js';
import { recordOf } from './profiles.service.js';
import { DEFAULT_VISIBILITY, searchTextFor } from './profiles.visibility.js';

export async function loadDemoProfiles(ctx: AppContext, trx: Executor) {
  const now = ctx.clock.now();
  const day = today(ctx);
  const members = await trx.selectFrom('member').select(['id', 'number']).where('territory_id', '=', ctx.territory.id).where('state', '=', 'approved').orderBy('number').execute();
  for (const [i, m] of members.entries()) {
    const row = await repo.findProfileOfMember(trx, ctx.territory.id, m.id);
    if (!row || !row.insee) continue;
    const showcase = i % 3 === 0;
    const visibility = showcase ? { ...DEFAULT_VISIBILITY, name: 'public' as const, activity: 'public' as const, skills: 'public' as const, commune: 'public' as const } : DEFAULT_VISIBILITY;
    const skills = demoSkillsOf(row.activity);
    const name = `${row.first_name} ${row.last_name}`;
    const bio = `${row.activity ?? 'Indépendant'} installé${isFeminineDemoName(row.first_name) ? 'e' : ''} à ${row.commune_name}. Je travaille à distance pour des clients de toute la France et j’aime rencontrer les entreprises du coin.`;
    const record = { ...recordOf(row, day), name, skills, bio, languages: i % 4 === 0 ? ['fr', 'en'] : ['fr'], visibility, publicShowcase: showcase };
    await repo.upsertProfile(trx, {
      memberId: m.id,
      territoryId: ctx.territory.id,
      slug: `${slugify(name, 100)}-${m.number}`,
      displayName: name,
      sector: null,
      bio,
      website: null,
      languages: record.languages,
      openToBusiness: i % 2 === 0,
      buddyOpen: i % 5 === 0,
      contactOpen: true,
      publicShowcase: showcase,
      visibility,
      searchPublic: searchTextFor(record, 'public'),
      searchMembers: searchTextFor(record, 'members'),
      now,
    });
    await repo.setProfileSkills(trx, ctx.territory.id, m.id, skills.map((label) => ({ key: skillKey(label), label })), now);
  }
}
