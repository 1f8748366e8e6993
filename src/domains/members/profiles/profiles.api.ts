/**
 * The directory's JSON API: GET /api/v1/annuaire (search, same query as /annuaire) and GET /api/v1/annuaire/:slug
 * (one entry). Both answer with what the visibility rule leaves for the caller: the public showcase for anonymous
 * callers, what members show to members for an active member, everything for the team.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { DirectoryQuery, LANGUAGES } from './profiles.schemas.js';
import * as service from './profiles.service.js';

const Entry = z
  .object({
    slug: z.string().meta({ description: 'The entry’s address: /annuaire/<slug>.' }),
    name: z.string().optional(),
    photo: z
      .object({ large: z.string(), small: z.string() })
      .optional()
      .meta({ description: 'Paths of the photo (WebP, 400 and 96 pixels square); they answer only callers of an audience that sees it, and change with the photo.' }),
    activity: z.string().optional(),
    sector: z.string().optional(),
    skills: z.array(z.string()).optional(),
    bio: z.string().optional().meta({ description: 'Plain text; paragraphs separated by a blank line.' }),
    commune: z.object({ insee: z.string(), name: z.string() }).optional(),
    website: z.string().optional(),
    languages: z.array(z.enum(LANGUAGES)).optional(),
    email: z.string().optional().meta({ description: 'Only when the member shows it to the caller’s audience (never public).' }),
    phone: z.string().optional(),
    openToBusiness: z.boolean().optional(),
    buddyOpen: z.boolean().optional().meta({ description: 'Open to be a buddy (parrain, marraine) for newcomers.' }),
    contactOpen: z.boolean().optional().meta({ description: 'The member accepts messages relayed by the contact form.' }),
    url: z.string(),
  })
  .meta({ description: 'A member’s entry: a field is absent when the member does not show it to the caller.' });

const DirectoryAnswer = z.object({
  audience: z.enum(['public', 'members', 'staff']).meta({ description: 'Whose view this is: the public showcase, members, or the team.' }),
  items: z.array(Entry),
  total: z.number().int(),
  page: z.number().int(),
  pages: z.number().int(),
});

const withUrl = <T extends { slug: string }>(e: T) => ({ ...e, url: `/annuaire/${e.slug}` });

export async function profilesApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/annuaire',
    {
      config: {
        openapi: {
          summary: 'Search the members’ directory: French full-text (q), skill (competence), commune, EPCI, language (langue), buddies (parrain=1)',
          tags: ['members'],
          query: DirectoryQuery,
          response: DirectoryAnswer,
        },
      },
    },
    async (request) => {
      const query = DirectoryQuery.parse(request.query ?? {});
      const data = await service.searchMembersDirectory(ctx, request.actor, query);
      return DirectoryAnswer.parse({ audience: data.viewer, items: data.items.map(withUrl), total: data.total, page: data.page, pages: data.pages });
    },
  );

  api.get(
    '/annuaire/:slug',
    { config: { openapi: { summary: 'One member’s entry, as the caller may see it (404 when hidden or unknown)', tags: ['members'], params: z.object({ slug: z.string() }), response: Entry } } },
    async (request) => {
      const { entry } = await service.getDirectoryEntry(ctx, request.actor, (request.params as { slug: string }).slug);
      return Entry.parse(withUrl(entry));
    },
  );
}
