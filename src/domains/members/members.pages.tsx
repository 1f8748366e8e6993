/** The one way the team's member page is drawn, also when a room's form on it comes back with errors. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { renderPage } from '../../web/render.js';
import { getMemberForStaff } from './members.service.js';
import { type MemberPageForms, StaffMemberView } from './members.views.js';

export async function renderStaffMemberPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, memberId: string, forms: MemberPageForms = {}, status = 200) {
  const data = await getMemberForStaff(ctx, request.actor, memberId);
  return renderPage(ctx, request, reply, <StaffMemberView {...data} forms={forms} />, status);
}
