/** Account pages: sign-up, verification, login, password reset, the account page and invitations. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { setFlash } from '../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, safeReturnPath, statusOf } from '../../web/forms.js';
import { requireUser } from '../../web/guards.js';
import { renderPage } from '../../web/render.js';
import * as schemas from './accounts.schemas.js';
import * as service from './accounts.service.js';
import * as views from './accounts.views.js';

export async function accountsRoutes(app: FastifyInstance, ctx: AppContext) {
  const limited = { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } };
  const page = (request: Parameters<typeof renderPage>[1], reply: FastifyReply, view: Parameters<typeof renderPage>[3], status?: number) =>
    renderPage(ctx, request, reply, view, status);

  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(service.SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.secureCookies,
      maxAge: service.SESSION_TTL / 1000,
    });

  // ------------------------------------------------------------------------------------------- sign up
  app.get('/inscription', (request, reply) => page(request, reply, <views.SignUpView values={{ locale: request.locale }} />));

  app.post('/inscription', { config: limited }, async (request, reply) => {
    const form = parseForm(schemas.SignUpInput, request.body);
    if (!form.ok) return page(request, reply, <views.SignUpView values={form.values} errors={form.errors} />, 422);
    try {
      await service.signUp(ctx, form.data, { userAgent: request.headers['user-agent'] });
    } catch (error) {
      return page(request, reply, <views.SignUpView values={formValues(request.body)} errors={fieldErrorsOf(error)} />, statusOf(error));
    }
    return page(request, reply, <views.SignUpSentView email={form.data.email} />);
  });

  app.post('/inscription/renvoyer', { config: limited }, async (request, reply) => {
    const form = parseForm(schemas.RequestResetInput, request.body);
    if (form.ok) await service.resendVerification(ctx, form.data.email);
    setFlash(reply, 'accounts.signup.resent');
    return reply.redirect('/connexion', 303);
  });

  app.get('/inscription/verifier', async (request, reply) => {
    const token = String((request.query as { jeton?: string }).jeton ?? '');
    try {
      await service.verifyEmail(ctx, token);
      return page(request, reply, <views.VerifyResultView ok message="accounts.verify.done" />);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <views.VerifyResultView ok={false} message={error.message} />, 410);
    }
  });

  // ------------------------------------------------------------------------------------------- log in / out
  app.get('/connexion', (request, reply) => {
    const back = safeReturnPath((request.query as { retour?: string }).retour, '');
    if (request.user) return reply.redirect(back || '/compte', 303);
    return page(request, reply, <views.LoginView back={back || undefined} />);
  });

  app.post('/connexion', { config: limited }, async (request, reply) => {
    const back = safeReturnPath((request.query as { retour?: string }).retour, '');
    const form = parseForm(schemas.LogInInput, request.body);
    if (!form.ok) return page(request, reply, <views.LoginView values={form.values} errors={form.errors} back={back || undefined} />, 422);
    try {
      const { token, user } = await service.logIn(ctx, form.data, { userAgent: request.headers['user-agent'] });
      setSessionCookie(reply, token);
      if (request.cookies.lang !== user.locale) reply.setCookie('lang', user.locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies });
      return reply.redirect(back || '/compte', 303);
    } catch (error) {
      return page(request, reply, <views.LoginView values={formValues(request.body)} errors={fieldErrorsOf(error)} back={back || undefined} />, statusOf(error));
    }
  });

  app.post('/deconnexion', async (request, reply) => {
    if (request.sessionToken) await service.logOut(ctx, request.sessionToken);
    reply.clearCookie(service.SESSION_COOKIE, { path: '/' });
    setFlash(reply, 'accounts.logout.done');
    return reply.redirect('/', 303);
  });

  // ------------------------------------------------------------------------------------------- passwords
  app.get('/mot-de-passe-oublie', (request, reply) => page(request, reply, <views.ForgotView />));

  app.post('/mot-de-passe-oublie', { config: limited }, async (request, reply) => {
    const form = parseForm(schemas.RequestResetInput, request.body);
    if (!form.ok) return page(request, reply, <views.ForgotView values={form.values} errors={form.errors} />, 422);
    await service.requestPasswordReset(ctx, form.data.email);
    return page(request, reply, <views.ForgotView sent />);
  });

  app.get('/mot-de-passe-oublie/nouveau', async (request, reply) => {
    const token = String((request.query as { jeton?: string }).jeton ?? '');
    try {
      await service.checkResetToken(ctx, token);
      return page(request, reply, <views.ResetView token={token} />);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <views.ResetView token="" invalid={error.message} />, 410);
    }
  });

  app.post('/mot-de-passe-oublie/nouveau', { config: limited }, async (request, reply) => {
    const token = String((request.body as { token?: string })?.token ?? '');
    const form = parseForm(schemas.ResetPasswordInput, request.body);
    if (!form.ok) return page(request, reply, <views.ResetView token={token} errors={form.errors} />, 422);
    try {
      await service.resetPassword(ctx, form.data.token, form.data.password);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <views.ResetView token="" invalid={error.message} />, 410);
    }
    reply.clearCookie(service.SESSION_COOKIE, { path: '/' });
    setFlash(reply, 'accounts.reset.done');
    return reply.redirect('/connexion', 303);
  });

  // ------------------------------------------------------------------------------------------- activation
  // An account opened by a newcomer application: its own page (not "forgotten password"), and the person is signed
  // in and sent where the link says (the household's project).
  app.get('/compte/activer', async (request, reply) => {
    const token = String((request.query as { jeton?: string }).jeton ?? '');
    const back = safeReturnPath((request.query as { retour?: string }).retour, '');
    try {
      await service.checkActivationToken(ctx, token);
      return page(request, reply, <views.ActivateView token={token} back={back} />);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <views.ActivateView token="" back="" invalid={error.message} />, 410);
    }
  });

  app.post('/compte/activer', { config: limited }, async (request, reply) => {
    const token = String((request.body as { token?: string })?.token ?? '');
    const back = safeReturnPath((request.query as { retour?: string }).retour, '');
    const form = parseForm(schemas.ResetPasswordInput, request.body);
    if (!form.ok) return page(request, reply, <views.ActivateView token={token} back={back} errors={form.errors} />, 422);
    try {
      const { token: session, user } = await service.activateAccount(ctx, form.data.token, form.data.password, { userAgent: request.headers['user-agent'] });
      setSessionCookie(reply, session);
      if (request.cookies.lang !== user.locale) reply.setCookie('lang', user.locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <views.ActivateView token="" back="" invalid={error.message} />, 410);
    }
    setFlash(reply, 'accounts.activate.done');
    return reply.redirect(back || '/compte', 303);
  });

  // ------------------------------------------------------------------------------------------- my account
  const accountPage = async (request: Parameters<typeof renderPage>[1], reply: FastifyReply, extra: { profile?: object; password?: object } = {}, status = 200) => {
    const account = await service.getAccount(ctx, request.actor);
    return page(request, reply, <views.AccountView account={account} {...extra} />, status);
  };

  app.get('/compte', { preHandler: requireUser }, (request, reply) => accountPage(request, reply));

  app.post('/compte', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.UpdateProfileInput, request.body);
    if (!form.ok) return accountPage(request, reply, { profile: form }, 422);
    await service.updateProfile(ctx, request.actor, form.data);
    reply.setCookie('lang', form.data.locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies });
    setFlash(reply, 'accounts.account.saved');
    return reply.redirect('/compte', 303);
  });

  app.post('/compte/mot-de-passe', { preHandler: requireUser, config: limited }, async (request, reply) => {
    const form = parseForm(schemas.ChangePasswordInput, request.body);
    if (!form.ok) return accountPage(request, reply, { password: form }, 422);
    try {
      await service.changePassword(ctx, request.actor, request.sessionToken, form.data);
    } catch (error) {
      return accountPage(request, reply, { password: { errors: fieldErrorsOf(error) } }, statusOf(error));
    }
    setFlash(reply, 'accounts.account.passwordChanged');
    return reply.redirect('/compte', 303);
  });

  app.post('/compte/deconnexion-partout', { preHandler: requireUser }, async (request, reply) => {
    const count = await service.logOutEverywhere(ctx, request.actor, request.sessionToken ?? undefined);
    setFlash(reply, 'accounts.account.loggedOutEverywhere', { count });
    return reply.redirect('/compte', 303);
  });

  // ------------------------------------------------------------------------------------------- invitations
  app.get('/invitation', async (request, reply) => {
    const token = String((request.query as { jeton?: string }).jeton ?? '');
    try {
      const invitation = await service.getInvitation(ctx, token);
      return page(request, reply, <views.InvitationView token={token} invitation={invitation} />);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <views.InvitationView token="" error={error.message} />, 410);
    }
  });

  app.post('/invitation', { config: limited }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : '';
    const invitation = await service.getInvitation(ctx, token).catch((error) => {
      if (error instanceof AppError && error.code === 'invalid') return error;
      throw error;
    });
    if (invitation instanceof AppError) return page(request, reply, <views.InvitationView token="" error={invitation.message} />, 410);
    let input: { token: string; displayName?: string; password?: string } = { token };
    if (!invitation.hasAccount) {
      const form = parseForm(schemas.AcceptInvitationInput, body);
      if (!form.ok) return page(request, reply, <views.InvitationView token={token} invitation={invitation} values={form.values} errors={form.errors} />, 422);
      input = form.data;
    }
    try {
      const { sessionToken } = await service.acceptInvitation(ctx, request.actor, input, { userAgent: request.headers['user-agent'] });
      if (sessionToken) setSessionCookie(reply, sessionToken);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'invalid' || error.code === 'forbidden')) {
        return page(request, reply, <views.InvitationView token={token} invitation={invitation} error={error.message} />, statusOf(error));
      }
      throw error;
    }
    setFlash(reply, 'accounts.invite.accepted');
    return reply.redirect('/admin', 303);
  });

  // ------------------------------------------------------------------------------------------- people & roles (admin)
  const usersPage = async (request: Parameters<typeof renderPage>[1], reply: FastifyReply, invite?: { values?: object; errors?: Record<string, string> }, status = 200) => {
    const q = request.query as { q?: string; role?: string; page?: string };
    const role = schemas.SetRolesInput.shape.roles.safeParse(q.role ? [q.role] : []);
    const result = await service.listUsers(ctx, request.actor, {
      search: q.q?.trim().slice(0, 100) || undefined,
      role: role.success ? role.data[0] : undefined,
      page: Math.max(1, Math.min(10_000, Number(q.page) || 1)),
    });
    return page(request, reply, <views.UsersAdminView {...result} filter={{ q: q.q, role: q.role }} invite={invite as never} now={ctx.clock.now()} />, status);
  };

  app.get('/admin/utilisateurs', { preHandler: requireUser }, (request, reply) => usersPage(request, reply));

  app.post('/admin/utilisateurs/inviter', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.InviteInput, request.body);
    if (!form.ok) return usersPage(request, reply, form, 422);
    try {
      await service.inviteUser(ctx, request.actor, form.data);
    } catch (error) {
      return usersPage(request, reply, { values: formValues(request.body), errors: fieldErrorsOf(error) }, statusOf(error));
    }
    setFlash(reply, 'accounts.admin.invited', { email: form.data.email });
    return reply.redirect('/admin/utilisateurs', 303);
  });

  app.get('/admin/utilisateurs/:id', { preHandler: requireUser }, async (request, reply) => {
    const user = await service.getUserForAdmin(ctx, request.actor, (request.params as { id: string }).id);
    return page(request, reply, <views.UserRolesView user={user} />);
  });

  app.post('/admin/utilisateurs/:id/roles', { preHandler: requireUser }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const form = parseForm(schemas.SetRolesInput, request.body);
    try {
      if (!form.ok) throw new AppError('invalid', 'errors.invalid', form.errors);
      await service.setRoles(ctx, request.actor, id, form.data.roles);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      const user = await service.getUserForAdmin(ctx, request.actor, id);
      return page(request, reply, <views.UserRolesView user={user} errors={errors} />, statusOf(error));
    }
    setFlash(reply, 'accounts.admin.rolesSaved');
    return reply.redirect(`/admin/utilisateurs/${id}`, 303);
  });
}
