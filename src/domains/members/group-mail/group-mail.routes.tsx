/**
 * The team's group mail (/admin/adherents/courriel, the list's filters in its query string or hidden fields), the
 * one-click unsubscribe page (/adherents/desabonnement/:member/:token) and the member's choice on their page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';
import { setFlash } from '../../../web/flash.js';
import { formValues, parseForm } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import { renderPage } from '../../../web/render.js';
import { listHref } from '../members.components.views.js';
import { GroupMailForm, GroupMailsChoice, MemberListQuery } from '../members.schemas.js';
import * as service from './group-mail.service.js';
import { GroupMailView, UnsubscribeView } from './group-mail.views.js';

export async function groupMailRoutes(app: FastifyInstance, ctx: AppContext) {
  const page = async (request: FastifyRequest, reply: FastifyReply, query: MemberListQuery, form: { values?: FormValues; errors?: FieldErrors; draft?: Parameters<typeof service.getGroupMail>[3] } = {}, status = 200) =>
    renderPage(ctx, request, reply, <GroupMailView data={await service.getGroupMail(ctx, request.actor, query, form.draft)} values={form.values} errors={form.errors} />, status);

  app.get('/admin/adherents/courriel', { preHandler: requireUser }, (request, reply) => page(request, reply, MemberListQuery.parse(request.query ?? {})));

  app.post('/admin/adherents/courriel', { preHandler: requireUser }, async (request, reply) => {
    const query = MemberListQuery.parse(request.body ?? {});
    const parsed = parseForm(GroupMailForm, request.body);
    if (!parsed.ok) return page(request, reply, query, { values: parsed.values, errors: parsed.errors }, 422);
    if (parsed.data.intent === 'preview') return page(request, reply, query, { values: formValues(request.body), draft: parsed.data });
    const { count, query: applied } = await service.mailGroup(ctx, request.actor, query, parsed.data);
    setFlash(reply, 'members.groupMail.flash', { count });
    return reply.redirect(listHref('/admin/adherents', applied), 303);
  });

  const unsubscribeOf = (request: FastifyRequest) => request.params as { member: string; token: string };
  app.get('/adherents/desabonnement/:member/:token', async (request, reply) => {
    const { member, token } = unsubscribeOf(request);
    const data = await service.getUnsubscribe(ctx, member, token);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return renderPage(ctx, request, reply, <UnsubscribeView {...data} action={request.url} />);
  });

  // The signed link is the permission: a mail client's one-click post (RFC 8058) carries no form token.
  app.post('/adherents/desabonnement/:member/:token', { config: { csrf: false } }, async (request, reply) => {
    const { member, token } = unsubscribeOf(request);
    const data = await service.unsubscribeFromGroupMails(ctx, member, token);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    return renderPage(ctx, request, reply, <UnsubscribeView {...data} action={request.url} />);
  });

  app.post('/compte/adhesion/courriels', { preHandler: requireUser }, async (request, reply) => {
    const parsed = GroupMailsChoice.safeParse(request.body ?? {});
    const on = await service.setMyGroupMails(ctx, request.actor, parsed.success ? parsed.data.groupMails : false);
    setFlash(reply, on ? 'members.flash.groupMailsOn' : 'members.flash.groupMailsOff');
    return reply.redirect('/compte/adhesion#courriels', 303);
  });
}
