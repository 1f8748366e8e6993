/**
 * The two pages every room's form lands on when it fails: the team's case page and the household's /mon-projet,
 * rendered again with the failed form's values and a message per field (house rule 4). Written once here, used by
 * the routes of every room through the cases room's index.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import { fieldErrorsOf, formValues, statusOf } from '../../../web/forms.js';
import { renderPage, renderVersionedPage } from '../../../web/render.js';
import type { FormState, PageForms } from './cases.extensions.js';
import { getCaseFile, getMyCase, openCaseFile } from './cases.service.js';
import { MyProjectView } from './household.views.js';
import { CaseFileView } from './staff.views.js';

/**
 * The case page as opened (`GET /admin/accueil/:id`): its body is rendered once per version of what it shows and
 * reused while that holds (decision 0032), after the viewer and the case were checked (`openCaseFile`).
 */
export async function serveCasePage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, caseId: string) {
  const opened = await openCaseFile(ctx, request.actor, caseId);
  return renderVersionedPage(ctx, request, reply, opened.version, async () => {
    const file = await opened.load();
    return { view: <CaseFileView file={file} />, until: file.changesAt };
  });
}

/** The case page again after a failed form (never kept): the failed forms by name, each section shows its own. */
export async function renderCasePage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, caseId: string, forms: PageForms = {}, status = 200) {
  const file = await getCaseFile(ctx, request.actor, caseId);
  return renderPage(ctx, request, reply, <CaseFileView file={file} forms={forms} />, status);
}

/** `/mon-projet`, with the failed forms by name. */
export async function renderMyProject(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, forms: PageForms = {}, status = 200) {
  const data = await getMyCase(ctx, request.actor);
  return renderPage(ctx, request, reply, <MyProjectView data={data} forms={forms} />, status);
}

/** A form refused by a service: the person's values, the message of each field, and the error's status. */
export const refusedForm = (request: FastifyRequest, error: unknown): { form: FormState; status: number } => ({
  form: { values: formValues(request.body), errors: fieldErrorsOf(error) },
  status: statusOf(error),
});
