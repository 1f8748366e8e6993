/** Pages of the territory guide: a commune's profile, the sources, and the back office corrections. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { setFlash } from '../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../web/forms.js';
import { requireUser } from '../../web/guards.js';
import { renderSections, type PublicSection } from '../../web/page-sections.js';
import { renderPage, renderSharedPage } from '../../web/render.js';
import { LocatorMap } from './map.js';
import * as schemas from './territory.schemas.js';
import * as service from './territory.service.js';
import { CommuneCorrectionsView, DuplicatesView, TerritoryAdminView } from './territory.admin.views.js';
import { CommuneNotFoundView, CommuneProfileView, SourcesView } from './territory.views.js';

/** Members living in a commune (see `communeSolosPoint` in index.ts). */
export interface CommuneSolos {
  count: number;
  /** The day the count was taken (YYYY-MM-DD, Europe/Paris): the page names its source and date. */
  day: string;
}

export interface TerritoryRoutesOptions {
  /** Third places near a commune, from the third places domain (wired in app.ts). */
  nearbyPlaces?: service.NearbyPlacesProvider;
  communeLinks?: readonly service.CommuneLink[];
  /** Members living in the commune (the members domain, at `communeSolosPoint`). */
  solos?: (ctx: AppContext, insee: string) => Promise<CommuneSolos>;
  /** Sections other domains add to the page (at `communeSectionsPoint`). */
  sections?: readonly PublicSection<string, never>[];
}

const isNotFound = (e: unknown) => e instanceof AppError && e.code === 'not_found';

export async function territoryRoutes(app: FastifyInstance, ctx: AppContext, opts: TerritoryRoutesOptions = {}) {
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);
  const notFound = (request: FastifyRequest, reply: FastifyReply) => page(request, reply, <CommuneNotFoundView />, 404);

  // ------------------------------------------------------------------------------------------- public pages
  app.get('/villages/:insee', async (request, reply) => {
    const { insee } = request.params as { insee: string };
    if (!schemas.INSEE_PATTERN.test(insee)) return notFound(request, reply);
    try {
      // The same profile for every visitor: signed-in visitors get it rendered once too, with their own menus.
      return await renderSharedPage(ctx, request, reply, async () => {
        const [profile, solos, sections] = await Promise.all([
          service.getCommuneProfile(ctx, insee, { nearbyPlaces: opts.nearbyPlaces }),
          opts.solos?.(ctx, insee),
          renderSections(ctx, opts.sections ?? [], insee),
        ]);
        return (
          <CommuneProfileView
            profile={profile}
            territoryName={ctx.territory.name}
            links={opts.communeLinks}
            solos={solos}
            sections={sections}
            locatorMap={<LocatorMap territory={ctx.territory.slug} territoryName={ctx.territory.name} insee={profile.insee} name={profile.name} />}
          />
        );
      });
    } catch (error) {
      if (isNotFound(error)) return notFound(request, reply);
      throw error;
    }
  });

  app.get('/sources', (request, reply) =>
    renderSharedPage(ctx, request, reply, async () => {
      const sources = await service.listSources(ctx);
      return <SourcesView datasets={sources.datasets} staffReferences={sources.staffReferences} />;
    }),
  );

  // ------------------------------------------------------------------------------------------- back office
  const adminPage = async (request: FastifyRequest, reply: FastifyReply, form?: { values: Record<string, unknown>; errors: Record<string, string> }, status?: number) => {
    const query = schemas.AdminSearchQuery.parse(request.query ?? {});
    const data = await service.getTerritoryAdmin(ctx, request.actor, query.q);
    return page(request, reply, <TerritoryAdminView data={data} values={form?.values as never} errors={form?.errors} />, status);
  };

  app.get('/admin/territoire', { preHandler: requireUser }, (request, reply) => adminPage(request, reply));

  app.post('/admin/territoire/prix-paris', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.PriceReferenceInput, request.body);
    if (!form.ok) return adminPage(request, reply, form, 422);
    try {
      await service.setParisReference(ctx, request.actor, form.data);
    } catch (error) {
      return adminPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'territory.admin.paris.saved');
    return reply.redirect('/admin/territoire', 303);
  });

  app.post('/admin/territoire/prix-paris/retirer', { preHandler: requireUser }, async (request, reply) => {
    await service.removeParisReference(ctx, request.actor);
    setFlash(reply, 'territory.admin.paris.removed');
    return reply.redirect('/admin/territoire', 303);
  });

  const duplicatesPage = async (request: FastifyRequest, reply: FastifyReply, form?: { values: Record<string, unknown>; errors: Record<string, string> }, status?: number) => {
    const data = await service.getDuplicatesAdmin(ctx, request.actor);
    return page(request, reply, <DuplicatesView data={data} values={form?.values as never} errors={form?.errors} />, status);
  };

  app.get('/admin/territoire/doublons', { preHandler: requireUser }, (request, reply) => duplicatesPage(request, reply));

  app.post('/admin/territoire/doublons', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.MarkDuplicateInput, request.body);
    if (!form.ok) return duplicatesPage(request, reply, form, 422);
    try {
      await service.markDuplicate(ctx, request.actor, form.data);
    } catch (error) {
      return duplicatesPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'territory.duplicates.saved');
    return reply.redirect('/admin/territoire/doublons', 303);
  });

  app.post('/admin/territoire/doublons/:id/retirer', { preHandler: requireUser }, async (request, reply) => {
    // NaN when malformed: the service refuses outsiders first, then answers 404.
    const raw = (request.params as { id: string }).id;
    const id = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    await service.removeDuplicate(ctx, request.actor, id);
    setFlash(reply, 'territory.duplicates.removed');
    return reply.redirect('/admin/territoire/doublons', 303);
  });

  const communePage = async (request: FastifyRequest, reply: FastifyReply, form?: { values: Record<string, unknown>; errors: Record<string, string> }, status?: number) => {
    const { insee } = request.params as { insee: string };
    const data = await service.getCommuneCorrections(ctx, request.actor, insee);
    return page(request, reply, <CommuneCorrectionsView data={data} values={form?.values as never} errors={form?.errors} />, status);
  };

  app.get('/admin/territoire/communes/:insee', { preHandler: requireUser }, (request, reply) => communePage(request, reply));

  app.post('/admin/territoire/communes/:insee/corrections', { preHandler: requireUser }, async (request, reply) => {
    const { insee } = request.params as { insee: string };
    const form = parseForm(schemas.CorrectFigureInput, request.body);
    if (!form.ok) return communePage(request, reply, form, 422);
    try {
      await service.correctFigure(ctx, request.actor, insee, form.data);
    } catch (error) {
      return communePage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'territory.admin.commune.saved');
    return reply.redirect(`/admin/territoire/communes/${insee}`, 303);
  });

  app.post('/admin/territoire/communes/:insee/corrections/:figure/retirer', { preHandler: requireUser }, async (request, reply) => {
    const { insee, figure } = request.params as { insee: string; figure: string };
    await service.removeCorrection(ctx, request.actor, insee, figure);
    setFlash(reply, 'territory.admin.commune.removed');
    return reply.redirect(`/admin/territoire/communes/${insee}`, 303);
  });
}
