/** The team's members list and member page, and the member's own page; then each room's routes. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { requireUser } from '../../web/guards.js';
import { renderPage } from '../../web/render.js';
import { cardRoutes } from './card/index.js';
import { duesRoutes } from './dues/index.js';
import { importsRoutes } from './imports/index.js';
import { joiningRoutes } from './joining/index.js';
import { renderStaffMemberPage } from './members.pages.js';
import { MemberListQuery } from './members.schemas.js';
import * as service from './members.service.js';
import { MyMembershipView, StaffListView } from './members.views.js';
import { plansRoutes } from './plans/index.js';
import { profilesRoutes } from './profiles/index.js';
import { renewalsRoutes } from './renewals/index.js';
import { groupMailRoutes } from './group-mail/index.js';
import { figuresRoutes } from './figures/index.js';

export async function membersRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/adherents', { preHandler: requireUser }, async (request, reply) => {
    const query = MemberListQuery.parse(request.query ?? {});
    const data = await service.listMembersForStaff(ctx, request.actor, query);
    return renderPage(ctx, request, reply, <StaffListView {...data} />);
  });

  app.get('/admin/adherents.csv', { preHandler: requireUser }, async (request, reply) => {
    const file = await service.exportMembersCsv(ctx, request.actor, MemberListQuery.parse(request.query ?? {}));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).header('cache-control', 'no-store').send(file.body);
  });

  app.get('/admin/adherents/:id', { preHandler: requireUser }, (request, reply) => renderStaffMemberPage(ctx, request, reply, (request.params as { id: string }).id));

  app.get('/compte/adhesion', { preHandler: requireUser }, async (request, reply) => {
    const data = await service.getMyMembership(ctx, request.actor);
    return renderPage(ctx, request, reply, <MyMembershipView data={data} />);
  });

  await groupMailRoutes(app, ctx);
  await figuresRoutes(app, ctx);
  await plansRoutes(app, ctx);
  await joiningRoutes(app, ctx);
  await duesRoutes(app, ctx);
  await renewalsRoutes(app, ctx);
  await cardRoutes(app, ctx);
  await profilesRoutes(app, ctx);
  await importsRoutes(app, ctx);
}
