/**
 * Mailing a filtered group of members through the outbox, and the members' choice about it. A mail is essential
 * (dues, statutes: every member of the group gets it) or not (members who unsubscribed are left out, and each mail
 * carries a signed one-click unsubscribe link and `List-Unsubscribe`). Sending queues one mail per member in one
 * transaction with its audit entry: all of them, or none.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor, AppContext } from '../../../context.js';
import { isUuid } from '../../../shared/input.js';
import { recordAudit } from '../../audit/index.js';
import { composeTemplatedMail, queueTemplatedMail } from '../../mail/index.js';
import { notFound } from '../members.common.js';
import { assertSignedIn } from '../members.policy.js';
import * as repo from '../members.repo.js';
import { filterParams, type GroupMailInput, type MemberListQuery } from '../members.schemas.js';
import { resolveMemberFilter } from '../members.service.js';

const tokenOf = (ctx: AppContext, memberId: string) => createHmac('sha256', ctx.config.sessionSecret).update(`member-group-mails:${memberId}`).digest('base64url');

/** The unsubscribe page of one member: whoever holds the link (it was mailed to them) may turn the mails off. */
export const unsubscribePath = (ctx: AppContext, memberId: string) => `/adherents/desabonnement/${memberId}/${tokenOf(ctx, memberId)}`;

function checkToken(ctx: AppContext, memberId: string, token: string) {
  if (!isUuid(memberId) || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound();
  if (!timingSafeEqual(Buffer.from(tokenOf(ctx, memberId)), Buffer.from(token))) throw notFound();
}

const templateOf = (essential: boolean) => (essential ? 'members.mail.group' : 'members.mail.groupOptional');

/**
 * The group as the form shows it: how many members match the filters, how many an essential or a non-essential
 * mail reaches, and (with a subject and body) the mail as its first recipient will read it.
 */
export async function getGroupMail(ctx: AppContext, actor: Actor, q: MemberListQuery, draft?: GroupMailInput) {
  const resolved = await resolveMemberFilter(ctx, actor, q);
  const { filter, status: s } = resolved;
  const [recipients, { total }] = await Promise.all([
    repo.listGroupRecipients(ctx.db, actor.territoryId, filter, s.day, s.windowEnd),
    repo.listMembers(ctx.db, actor.territoryId, filter, s.day, s.windowEnd, 1, 0),
  ]);
  const optedOut = recipients.filter((r) => r.opted_out).length;
  const counts = { matching: total, essential: recipients.length, optional: recipients.length - optedOut, optedOut, unreachable: total - recipients.length };
  let preview: { subject: string; text: string } | null = null;
  if (draft) {
    const first = (draft.essential ? recipients : recipients.filter((r) => !r.opted_out))[0];
    preview = composeTemplatedMail(ctx, {
      locale: 'fr',
      template: templateOf(draft.essential),
      params: { name: first ? first.first_name : 'Camille', subject: draft.subject, message: draft.body },
      link: draft.essential ? `${ctx.config.baseUrl}/compte/adhesion` : `${ctx.config.baseUrl}${unsubscribePath(ctx, first?.id ?? '00000000-0000-4000-8000-000000000000')}`,
    });
  }
  return { ...resolved, counts, preview };
}

export type GroupMailPage = Awaited<ReturnType<typeof getGroupMail>>;

/** Sends the mail: one outbox mail per recipient in their language, in one transaction with the audit entry. */
export async function mailGroup(ctx: AppContext, actor: Actor, q: MemberListQuery, input: GroupMailInput) {
  const { query, filter, status: s } = await resolveMemberFilter(ctx, actor, q);
  return ctx.db.transaction().execute(async (trx) => {
    const all = await repo.listGroupRecipients(trx, actor.territoryId, filter, s.day, s.windowEnd);
    const recipients = input.essential ? all : all.filter((r) => !r.opted_out);
    for (const r of recipients) {
      const unsubscribe = `${ctx.config.baseUrl}${unsubscribePath(ctx, r.id)}`;
      await queueTemplatedMail(trx, ctx, {
        to: r.email,
        locale: r.locale,
        template: templateOf(input.essential),
        params: { name: r.first_name, subject: input.subject, message: input.body },
        link: input.essential ? `${ctx.config.baseUrl}/compte/adhesion` : unsubscribe,
        listUnsubscribe: input.essential ? undefined : unsubscribe,
        territoryId: actor.territoryId,
      });
    }
    await recordAudit(trx, ctx, actor, {
      action: 'member.group_mailed',
      subjectType: 'member',
      data: { count: recipients.length, essential: input.essential, subject: input.subject, filter: filterParams(query) },
    });
    return { count: recipients.length, query };
  });
}

// ---------------------------------------------------------------------------------------------- the member's choice

/** The unsubscribe page: which member (by first name only) and whether they still receive the non-essential mails. */
export async function getUnsubscribe(ctx: AppContext, memberId: string, token: string) {
  checkToken(ctx, memberId, token);
  const member = await repo.findMember(ctx.db, ctx.territory.id, memberId);
  if (!member || member.anonymised_at) throw notFound();
  return { firstName: member.first_name, optedOut: !!(await repo.findMailOptout(ctx.db, memberId)) };
}

/** One click (the page's button, or the mail client's `List-Unsubscribe-Post`): the signed link is the permission. */
export async function unsubscribeFromGroupMails(ctx: AppContext, memberId: string, token: string) {
  const page = await getUnsubscribe(ctx, memberId, token);
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.insertMailOptout(trx, ctx.territory.id, memberId, ctx.clock.now())) {
      await recordAudit(trx, ctx, { userId: null, territoryId: ctx.territory.id }, { action: 'member.group_mails_off', subjectType: 'member', subjectId: memberId });
    }
  });
  return { ...page, optedOut: true };
}

/** The member turns the team's non-essential group mails on or off from their membership page. */
export async function setMyGroupMails(ctx: AppContext, actor: Actor, on: boolean) {
  assertSignedIn(actor);
  const member = await repo.findMemberOfUser(ctx.db, actor.territoryId, actor.userId);
  if (!member) throw notFound();
  await ctx.db.transaction().execute(async (trx) => {
    const changed = on ? await repo.deleteMailOptout(trx, member.id) : await repo.insertMailOptout(trx, actor.territoryId, member.id, ctx.clock.now());
    if (changed) await recordAudit(trx, ctx, actor, { action: on ? 'member.group_mails_on' : 'member.group_mails_off', subjectType: 'member', subjectId: member.id });
  });
  return on;
}
