/**
 * Registration pages: the one-click registration of a signed-in person, the page a registration's mail link opens
 * (confirm the address, claim an offered seat, lower the seats asked for, cancel), and the account's page
 * `/compte/inscriptions` with the secret calendar feed. Each handler parses, calls one service function, renders or
 * redirects; a refusal comes back as a page that says why, with its numbers, never as a 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { AppError, httpStatusOf, isAppError } from '../../../shared/app-error.js';
import { setFlash } from '../../../web/flash.js';
import { parseForm } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { SignedInRegistrationForm, seatsField } from '../events.schemas.js';
import * as service from './registrations.service.js';
import { MyRegistrationsView, RefusedView, RegistrationView } from './registrations.views.js';

/** The signed-in account's contact as the session read it this request (the service reads it itself otherwise). */
export const contactOf = (request: FastifyRequest): service.Contact | undefined =>
  request.user && request.user.id === request.actor.userId ? { email: request.user.email, name: request.user.displayName, locale: request.user.locale } : undefined;

export async function registrationsRoutes(app: FastifyInstance, ctx: AppContext) {
  const linkOf = (request: FastifyRequest) => request.params as { id: string; token: string };
  const linkPath = (request: FastifyRequest) => `/agenda/inscription/${linkOf(request).id}/${linkOf(request).token}`;

  /** Runs a change; a refusal the person can act on is shown on a page of its own, with a way back. */
  const attempt = async (request: FastifyRequest, reply: FastifyReply, back: string, run: () => Promise<unknown>, done: () => unknown) => {
    try {
      await run();
    } catch (error) {
      if (!isAppError(error) || !['invalid', 'conflict', 'forbidden', 'not_found'].includes(error.code) || error.message.startsWith('errors.')) throw error;
      return renderPage(ctx, request, reply, <RefusedView problem={{ key: error.message, params: error.params }} back={back} />, httpStatusOf[error.code]);
    }
    return done();
  };

  app.post('/agenda/:slug/inscrire', { preHandler: requireUser }, async (request, reply) => {
    const slug = (request.params as { slug: string }).slug;
    const back = `/agenda/${slug}`;
    const form = parseForm(SignedInRegistrationForm, request.body);
    if (!form.ok) return renderPage(ctx, request, reply, <RefusedView problem={{ key: form.errors.places ?? 'errors.invalid' }} back={back} />, 422);
    const waitlist = (request.body as Record<string, unknown> | undefined)?.attente === '1';
    let outcome: service.Outcome | undefined;
    return attempt(
      request,
      reply,
      back,
      async () => {
        outcome = await service.registerForEvent(ctx, request.actor, slug, { seats: form.data.places, waitlist }, contactOf(request));
      },
      () => {
        setFlash(reply, `events.flash.${outcome!.created ? outcome!.status : 'already'}`, { position: outcome!.position ?? 0 });
        return reply.redirect(`${back}#inscrire`, 303);
      },
    );
  });

  // ------------------------------------------------------------------------------------------- the mail's link
  app.get('/agenda/inscription/:id/:token', async (request, reply) => {
    const { id, token } = linkOf(request);
    const page = await service.getRegistrationByLink(ctx, id, token);
    return renderPage(ctx, request, reply, <RegistrationView page={page} action={linkPath(request)} />);
  });

  const linkAction = (path: string, run: (ctx: AppContext, id: string, token: string, body: Record<string, unknown>) => Promise<unknown>, flash: string) =>
    app.post(`/agenda/inscription/:id/:token/${path}`, async (request, reply) => {
      const { id, token } = linkOf(request);
      const back = linkPath(request);
      return attempt(
        request,
        reply,
        back,
        () => run(ctx, id, token, (request.body ?? {}) as Record<string, unknown>),
        () => {
          setFlash(reply, flash);
          return reply.redirect(back, 303);
        },
      );
    });

  linkAction('confirmer', (c, id, token) => service.confirmVisitorRegistration(c, id, token), 'events.flash.addressConfirmed');
  linkAction('accepter', (c, id, token) => service.claimOffer(c, id, token), 'events.flash.claimed');
  linkAction('annuler', (c, id, token) => service.cancelByLink(c, id, token), 'events.flash.cancelled');
  linkAction(
    'places',
    async (c, id, token, body) => {
      const seats = seatsField.safeParse(body.places);
      if (!seats.success) throw new AppError('invalid', 'events.register.seatsInvalid');
      return service.lowerWaitingSeats(c, id, token, seats.data);
    },
    'events.flash.seatsLowered',
  );

  // ------------------------------------------------------------------------------------------- the account's page
  const myPage = async (request: FastifyRequest, reply: FastifyReply, feedUrl?: string) =>
    renderPage(ctx, request, reply, <MyRegistrationsView data={await service.listMyRegistrations(ctx, request.actor)} feedUrl={feedUrl} />);

  app.get('/compte/inscriptions', { preHandler: requireUser }, (request, reply) => myPage(request, reply));

  app.post('/compte/inscriptions/:id/annuler', { preHandler: requireUser }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    return attempt(
      request,
      reply,
      '/compte/inscriptions',
      () => service.cancelOwnRegistration(ctx, request.actor, id),
      () => {
        setFlash(reply, 'events.flash.cancelled');
        return reply.redirect('/compte/inscriptions', 303);
      },
    );
  });

  // The new address is shown once, on the page this post returns: only its hash is kept.
  app.post('/compte/inscriptions/flux', { preHandler: requireUser }, async (request, reply) => myPage(request, reply, await service.renewMyFeed(ctx, request.actor)));

  app.post('/compte/inscriptions/flux/supprimer', { preHandler: requireUser }, async (request, reply) => {
    await service.revokeMyFeed(ctx, request.actor);
    setFlash(reply, 'events.flash.feedRevoked');
    return reply.redirect('/compte/inscriptions#agenda', 303);
  });
}
