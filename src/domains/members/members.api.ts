/**
 * The members' JSON API: GET /api/v1/adhesion (the signed-in member's own membership) and
 * GET /api/v1/admin/adherents (the team's list, same filters as /admin/adherents). Refusals and mistakes answer
 * `application/problem+json` through the app's error handler.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import { MEMBER_STATUSES, memberNumber, receiptNumber } from './members.common.js';
import { MemberListQuery } from './members.schemas.js';
import * as service from './members.service.js';
import { profilesApi } from './profiles/index.js';

const day = z.string().meta({ description: 'A day, YYYY-MM-DD (Europe/Paris).' });

const MyMembership = z.object({
  number: z.string().meta({ description: 'Member number, stable for life (M-000123).' }),
  status: z.enum(MEMBER_STATUSES),
  plan: z.string(),
  validUntil: day.nullable().meta({ description: 'Last day of the latest period paid, or null before the first dues.' }),
  payments: z.array(
    z.object({
      receipt: z.string().meta({ description: 'Receipt number, gapless per year (2026-0001).' }),
      amountCents: z.number().int(),
      paidOn: day,
      method: z.enum(['cheque', 'transfer', 'cash', 'card', 'online']),
      periodFrom: day.nullable(),
      periodTo: day.nullable(),
    }),
  ),
});

const StaffMemberSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  status: z.enum(MEMBER_STATUSES),
  plan: z.string(),
  commune: z.string().nullable().meta({ description: 'Commune of the territory, or null for a household not yet in it.' }),
  validUntil: day.nullable(),
  url: z.string(),
});

const StaffMemberPage = z.object({ items: z.array(StaffMemberSummary), total: z.number().int(), page: z.number().int(), perPage: z.number().int(), pages: z.number().int() });

export async function membersApi(api: FastifyInstance, ctx: AppContext) {
  api.get(
    '/adhesion',
    { config: { openapi: { summary: 'The signed-in person’s membership: status, validity and dues', tags: ['members'], response: MyMembership, auth: true } } },
    async (request) => {
      const data = await service.getMyMembership(ctx, request.actor);
      if (!data) throw new AppError('not_found', 'members.my.none');
      return MyMembership.parse({
        number: memberNumber(data.member.number),
        status: data.status,
        plan: data.member.plan_name,
        validUntil: data.member.valid_until,
        payments: data.payments.map((p) => ({
          receipt: receiptNumber(p.receipt_year, p.receipt_seq),
          amountCents: p.amount_cents,
          paidOn: p.paid_on,
          method: p.method,
          periodFrom: p.starts_on,
          periodTo: p.ends_on,
        })),
      });
    },
  );

  api.get(
    '/admin/adherents',
    { config: { openapi: { summary: 'Members for the welcome team, filtered by status (statut) and plan (formule), paginated', tags: ['members'], query: MemberListQuery, response: StaffMemberPage, auth: true } } },
    async (request) => {
      const query = MemberListQuery.parse(request.query ?? {});
      const data = await service.listMembersForStaff(ctx, request.actor, query);
      return StaffMemberPage.parse({
        items: data.rows.map((r) => ({
          id: r.id,
          number: memberNumber(r.number),
          firstName: r.first_name,
          lastName: r.last_name,
          status: r.status,
          plan: r.plan_name,
          commune: r.commune_name,
          validUntil: r.valid_until,
          url: `/admin/adherents/${r.id}`,
        })),
        total: data.total,
        page: data.page,
        perPage: service.STAFF_PAGE_SIZE,
        pages: data.pages,
      });
    },
  );
  await profilesApi(api, ctx);
}
