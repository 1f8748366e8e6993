/**
 * Pages of the newcomer journey: the public application, the household's own case (/mon-projet) and the welcome
 * team's back office (/admin/accueil). Each handler parses, calls one service function, renders or redirects; a
 * form with mistakes comes back with 422, the person's values and a message next to each field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { setFlash } from '../../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../../web/forms.js';
import { requireUser } from '../../../web/guards.js';
import type { FieldErrors, FormValues } from '../../../web/components/forms.js';
import { renderPage, renderVersionedPage } from '../../../web/render.js';
import { AppError } from '../../../shared/app-error.js';
import { ApplySentView, ApplyView, ConfirmHeldView } from './apply.views.js';
import * as schemas from './cases.schemas.js';
import * as service from './cases.service.js';
import { refusedForm, renderCasePage, renderMyProject, serveCasePage } from './cases.pages.js';
import { tagsRoutes } from './tags.routes.js';
import { BoardView, CasesListView, DropReasonsView } from './staff.views.js';

export async function casesRoutes(app: FastifyInstance, ctx: AppContext) {
  const limited = { rateLimit: { max: ctx.config.rateLimitPerMinute, timeWindow: 60_000 } };
  const page = (request: FastifyRequest, reply: FastifyReply, view: VNode, status?: number) => renderPage(ctx, request, reply, view, status);

  // ------------------------------------------------------------------------------------------- application
  app.get('/candidature', async (request, reply) => {
    const communes = (request.query as { communes?: unknown }).communes;
    const form = await service.getApplicationForm(ctx, request.actor, { email: request.user?.email, communes: typeof communes === 'string' ? communes : undefined });
    return page(request, reply, <ApplyView values={form.values} chosen={form.chosen} />);
  });

  /** The form again, with the household's values, its villages by name and, after a village search, the matches. */
  const applyAgain = async (request: FastifyRequest, reply: FastifyReply, values: FormValues, errors: FieldErrors, status: number, query?: string) => {
    const picker = await service.findVillagesToPick(ctx, service.codesOf(values.targetCodes), query);
    return page(request, reply, <ApplyView values={values} errors={errors} chosen={picker.chosen} matches={picker.matches} query={query} />, status);
  };

  app.post('/candidature', { config: limited }, async (request, reply) => {
    // "Chercher" (or Enter in a field) looks villages up by name and shows the form again: nothing is sent yet.
    if ((request.body as Record<string, unknown> | undefined)?.chercher !== undefined) {
      const values = formValues(request.body);
      const query = typeof values.villageQuery === 'string' ? values.villageQuery.trim().slice(0, 100) : '';
      if (query.length < 2) return applyAgain(request, reply, values, { villageQuery: 'newcomers.apply.villageQueryShort' }, 422);
      return applyAgain(request, reply, { ...values, villageQuery: '' }, {}, 200, query);
    }
    const form = parseForm(schemas.ApplicationForm, request.body);
    if (!form.ok) return applyAgain(request, reply, form.values, form.errors, 422);
    try {
      await service.applyToProgramme(ctx, request.actor, form.data, request.locale);
    } catch (error) {
      return applyAgain(request, reply, formValues(request.body), fieldErrorsOf(error), statusOf(error));
    }
    // The same answer whether the address was new or not, so the form tells nobody who already applied.
    return reply.redirect('/candidature/merci', 303);
  });

  app.get('/candidature/merci', (request, reply) => page(request, reply, <ApplySentView />));

  // An application held because its address belongs to an existing account: the owner confirms it from the mail.
  app.get('/candidature/confirmer', async (request, reply) => {
    const token = String((request.query as { jeton?: unknown }).jeton ?? '');
    try {
      await service.checkHeldApplication(ctx, token);
      return page(request, reply, <ConfirmHeldView token={token} />);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <ConfirmHeldView token="" invalid={error.message} />, 410);
    }
  });

  app.post('/candidature/confirmer', { config: limited }, async (request, reply) => {
    const token = String((request.body as { token?: unknown } | undefined)?.token ?? '');
    try {
      await service.confirmHeldApplication(ctx, token);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid') throw error;
      return page(request, reply, <ConfirmHeldView token="" invalid={error.message} />, 410);
    }
    return reply.redirect('/candidature/merci', 303);
  });

  // ------------------------------------------------------------------------------------------- the household's case
  app.get('/mon-projet', { preHandler: requireUser }, (request, reply) => renderMyProject(ctx, request, reply));

  app.post('/mon-projet/messages', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.MessageForm, request.body);
    if (!form.ok) return renderMyProject(ctx, request, reply, { message: form }, 422);
    await service.sendHouseholdMessage(ctx, request.actor, form.data.body);
    setFlash(reply, 'newcomers.flash.messageSent');
    return reply.redirect('/mon-projet#messages', 303);
  });

  app.get('/mon-projet/donnees.json', { preHandler: requireUser }, async (request, reply) => {
    const data = await service.exportMyData(ctx, request.actor);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="mes-donnees.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  // ------------------------------------------------------------------------------------------- back office
  const listQuery = (request: FastifyRequest) => schemas.CaseListQuery.parse(request.query ?? {});
  // The query parameters the list and the board read, as their bodies are kept under (page 1 is the bare URL).
  const readParams = (q: schemas.CaseListQuery) => ({ ...q, page: q.page > 1 ? q.page : undefined });

  app.get('/admin/accueil', { preHandler: requireUser }, async (request, reply) => {
    const query = listQuery(request);
    const list = await service.openCaseList(ctx, request.actor, query);
    return renderVersionedPage(ctx, request, reply, list.version, async () => <CasesListView {...await list.load()} query={query} />, readParams(query));
  });

  app.get('/admin/accueil/tableau', { preHandler: requireUser }, async (request, reply) => {
    const query = listQuery(request);
    const board = await service.openBoard(ctx, request.actor, query);
    return renderVersionedPage(ctx, request, reply, board.version, async () => {
      const data = await board.load();
      return <BoardView rows={data.rows} staff={data.staff} query={query} filterOptions={data.filterOptions} />;
    }, readParams(query));
  });

  // Drop reasons, editable by the team.
  const reasonsPage = async (request: FastifyRequest, reply: FastifyReply, add?: { values?: Record<string, string>; errors?: Record<string, string> }, status = 200) => {
    const reasons = await service.listDropReasonsForStaff(ctx, request.actor);
    return page(request, reply, <DropReasonsView reasons={reasons} add={add} />, status);
  };

  app.get('/admin/accueil/motifs', { preHandler: requireUser }, (request, reply) => reasonsPage(request, reply));

  app.post('/admin/accueil/motifs', { preHandler: requireUser }, async (request, reply) => {
    const form = parseForm(schemas.DropReasonForm, request.body);
    if (!form.ok) return reasonsPage(request, reply, { values: form.values as Record<string, string>, errors: form.errors }, 422);
    await service.addDropReason(ctx, request.actor, form.data.label);
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/admin/accueil/motifs', 303);
  });

  app.post('/admin/accueil/motifs/:reasonId', { preHandler: requireUser }, async (request, reply) => {
    const { reasonId } = request.params as { reasonId: string };
    const form = parseForm(schemas.DropReasonChangeForm, request.body);
    if (!form.ok) return reasonsPage(request, reply, { errors: form.errors }, 422);
    await service.updateDropReason(ctx, request.actor, Number(reasonId), form.data);
    setFlash(reply, 'newcomers.flash.saved');
    return reply.redirect('/admin/accueil/motifs', 303);
  });

  // The case page, and every form on it: a mistake shows the page again with the form's errors.
  app.get('/admin/accueil/:id', { preHandler: requireUser }, (request, reply) => serveCasePage(ctx, request, reply, (request.params as { id: string }).id));

  function caseForm<S extends z.ZodType>(
    url: string,
    schema: S,
    key: string,
    run: (request: FastifyRequest, params: Record<string, string>, data: z.output<S>) => Promise<unknown>,
    done: { flash: string; anchor: string },
  ) {
    app.post(url, { preHandler: requireUser }, async (request, reply) => {
      const params = request.params as Record<string, string>;
      const form = parseForm(schema, request.body);
      if (!form.ok) return renderCasePage(ctx, request, reply, params.id, { [key]: form }, 422);
      try {
        await run(request, params, form.data);
      } catch (error) {
        const refused = refusedForm(request, error);
        return renderCasePage(ctx, request, reply, params.id, { [key]: refused.form }, refused.status);
      }
      setFlash(reply, done.flash);
      const back = (request.query as { retour?: string }).retour === 'tableau' ? '/admin/accueil/tableau' : `/admin/accueil/${params.id}#${done.anchor}`;
      return reply.redirect(back, 303);
    });
  }

  caseForm('/admin/accueil/:id/etape', schemas.TransitionForm, 'stage', (r, p, data) => service.changeStage(ctx, r.actor, p.id, data), { flash: 'newcomers.flash.stageChanged', anchor: 'etape' });
  caseForm('/admin/accueil/:id/conseiller', schemas.AssignForm, 'assign', (r, p, data) => service.assignAdviser(ctx, r.actor, p.id, data.adviserId), { flash: 'newcomers.flash.assigned', anchor: 'conseiller' });
  caseForm('/admin/accueil/:id/notes', schemas.NoteForm, 'note', (r, p, data) => service.addCaseNote(ctx, r.actor, p.id, data.body), { flash: 'newcomers.flash.noteAdded', anchor: 'chronologie' });
  caseForm('/admin/accueil/:id/taches', schemas.TaskForm, 'task', (r, p, data) => service.addCaseTask(ctx, r.actor, p.id, data), { flash: 'newcomers.flash.taskAdded', anchor: 'taches' });
  caseForm('/admin/accueil/:id/taches/:taskId/fait', schemas.EmptyForm, 'task', (r, p) => service.completeCaseTask(ctx, r.actor, p.id, Number(p.taskId)), { flash: 'newcomers.flash.taskDone', anchor: 'taches' });
  caseForm('/admin/accueil/:id/liste', schemas.ChecklistItemForm, 'checklist', (r, p, data) => service.addChecklistItem(ctx, r.actor, p.id, data.label), { flash: 'newcomers.flash.saved', anchor: 'liste' });
  caseForm('/admin/accueil/:id/liste/:itemId', schemas.ChecklistToggleForm, 'checklist', (r, p, data) => service.setChecklistItem(ctx, r.actor, p.id, Number(p.itemId), data.done), { flash: 'newcomers.flash.saved', anchor: 'liste' });
  caseForm('/admin/accueil/:id/messages', schemas.MessageForm, 'message', (r, p, data) => service.sendStaffMessage(ctx, r.actor, p.id, data.body), { flash: 'newcomers.flash.messageSent', anchor: 'messages' });
  await tagsRoutes(app, ctx);
}
