/**
 * /compte/profil (the member's profile), /annuaire (the directory, or the public showcase for visitors),
 * /annuaire/carte (the map of solos), /annuaire/:slug (an entry and its contact form) and the team's contact log
 * (/admin/adherents/contacts). Each handler parses, calls one service function, renders or redirects.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { isAppError } from '../../../shared/app-error.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage, renderPublicPage } from '../../../web/render.js';
import { multipartSource, sendStoredImage, uploadScope } from '../../../web/uploads.js';
import { ContactForm, DirectoryQuery, ProfileForm } from './profiles.schemas.js';
import * as service from './profiles.service.js';
import { ContactLogView, DirectoryView, EntryView, ProfileView, SolosMapView } from './profiles.views.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';

export async function profilesRoutes(app: FastifyInstance, ctx: AppContext) {
  const profilePage = async (request: FastifyRequest, reply: FastifyReply, form?: { values?: FormValues; errors: FieldErrors }, status = 200) => {
    const data = await service.getMyProfile(ctx, request.actor);
    return renderPage(ctx, request, reply, <ProfileView data={data} values={form?.values} errors={form?.errors} />, status);
  };

  app.get('/compte/profil', { preHandler: requireUser }, (request, reply) => profilePage(request, reply));

  app.post('/compte/profil', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(ProfileForm, request.body);
    if (!form.ok) return profilePage(request, reply, form, 422);
    try {
      await service.saveMyProfile(ctx, request.actor, form.data);
    } catch (error) {
      return profilePage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'members.profile.saved');
    return reply.redirect('/compte/profil', 303);
  });

  // The photo is a multipart upload (src/web/uploads.ts), cut at the upload limit while it streams.
  await uploadScope(app, ctx, ctx.config.documentMaxBytes, (uploads, upload) => {
    uploads.post('/compte/profil/photo', upload, async (request, reply) => {
      try {
        await service.setMyPhoto(ctx, request.actor, multipartSource(ctx, request, 'photo'));
      } catch (error) {
        return profilePage(request, reply, { errors: fieldErrorsOf(error) }, statusOf(error));
      }
      setFlash(reply, 'members.photo.saved');
      return reply.redirect('/compte/profil#photo', 303);
    });
  });

  app.post('/compte/profil/photo/supprimer', { preHandler: requireUser }, async (request, reply) => {
    await service.removeMyPhoto(ctx, request.actor);
    setFlash(reply, 'members.photo.removed');
    return reply.redirect('/compte/profil#photo', 303);
  });

  // Photos are asked for by their id, answered only to those who see them; the id changes with the photo.
  app.get('/annuaire/photos/:id/:file', async (request, reply) => {
    const { id, file } = request.params as { id: string; file: string };
    const photo = await service.openMemberPhoto(ctx, request.actor, id, file);
    return sendStoredImage(reply, photo);
  });

  // The showcase without a query is the same for every visitor: cached; a search is rendered each time.
  app.get('/annuaire', async (request, reply) => {
    const query = DirectoryQuery.parse(request.query ?? {});
    const view = async () => <DirectoryView data={await service.searchMembersDirectory(ctx, request.actor, query)} query={query} />;
    if (request.url === '/annuaire') return renderPublicPage(ctx, request, reply, view);
    return renderPage(ctx, request, reply, await view());
  });

  app.get('/annuaire/carte', async (request, reply) => {
    const map = await service.getSolosMap(ctx, request.actor);
    const communes = map.communes.map((c) => ({ insee: c.insee, name: c.name, housePrice: null, houseSales: 0, toulouseKm: null, toulouseMinutes: null, gps: 0 }));
    return renderPage(ctx, request, reply, <SolosMapView territory={ctx.territory.slug} communes={communes} counts={map.counts} total={map.total} day={map.day} isPublic={map.viewer === 'public'} />);
  });

  const entryPage = async (request: FastifyRequest, reply: FastifyReply, form?: { values: FormValues; errors: FieldErrors }, status = 200) => {
    const { slug } = request.params as { slug: string };
    const data = await service.getDirectoryEntry(ctx, request.actor, slug);
    reply.header('x-robots-tag', 'noindex');
    return renderPage(ctx, request, reply, <EntryView entry={data.entry} canContact={data.canContact} signedIn={data.signedIn} values={form?.values} errors={form?.errors} />, status);
  };

  app.get('/annuaire/:slug', (request, reply) => entryPage(request, reply));

  app.post('/annuaire/:slug/contact', { preHandler: requireUser }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const form = parseForm(ContactForm, request.body);
    if (!form.ok) return entryPage(request, reply, form, 422);
    try {
      await service.contactMember(ctx, request.actor, slug, form.data);
    } catch (error) {
      // A refusal the sender can act on (limit reached, address not verified, contact switched off) comes back on the form.
      if (!isAppError(error) || error.code === 'not_found' || error.code === 'unauthenticated') throw error;
      const errors = Object.keys(error.fields).length ? error.fields : { _form: error.message };
      return entryPage(request, reply, { values: formValues(request.body), errors }, statusOf(error));
    }
    setFlash(reply, 'members.contact.sent');
    return reply.redirect(`/annuaire/${slug}`, 303);
  });

  app.get('/admin/adherents/contacts', { preHandler: requireUser }, async (request, reply) => {
    const rows = await service.listContactLog(ctx, request.actor);
    return renderPage(ctx, request, reply, <ContactLogView rows={rows} />);
  });
}
