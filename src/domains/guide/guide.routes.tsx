/** Guide pages (public list and articles) and the staff editor under /admin/guide. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { AppError } from '../../shared/app-error.js';
import type { FormValues } from '../../web/components/forms.js';
import { setFlash } from '../../web/flash.js';
import { fieldErrorsOf, formValues, parseForm, statusOf } from '../../web/forms.js';
import { requireUser } from '../../web/guards.js';
import { renderPage, renderPublicPage } from '../../web/render.js';
import * as schemas from './guide.schemas.js';
import * as service from './guide.service.js';
import * as views from './guide.views.js';

const notFound = () => new AppError('not_found', 'guide.errors.notFound');

/** NaN when malformed: the service refuses outsiders first, then answers 404 (no hint that an id exists). */
function idParam(request: FastifyRequest) {
  const id = schemas.ArticleId.safeParse((request.params as { id: string }).id);
  return id.success ? id.data : Number.NaN;
}

const EMPTY_PREVIEW = { title: '', summary: '', body: '' };

const isPreview = (body: unknown) => (body as { action?: unknown } | undefined)?.action === 'preview';

const valuesOf = (a: { slug: string; category: string; title: string; summary: string; body_md: string; status: string; version: number }): FormValues => ({
  title: a.title,
  slug: a.slug,
  category: a.category,
  summary: a.summary,
  body: a.body_md,
  status: a.status,
  version: String(a.version),
});

export async function guideRoutes(app: FastifyInstance, ctx: AppContext) {
  // ------------------------------------------------------------------------------------------- public
  app.get('/guide', (request, reply) =>
    renderPublicPage(ctx, request, reply, async () => <views.GuideIndexView articles={await service.listPublishedArticles(ctx)} />),
  );

  app.get('/guide/:slug', (request, reply) => {
    const slug = (request.params as { slug: string }).slug;
    if (!schemas.SLUG_PATTERN.test(slug) || slug.length > 120) throw notFound();
    return renderPublicPage(ctx, request, reply, async () => {
      const { article, related, canEdit } = await service.getArticleForReader(ctx, request.actor, slug);
      return <views.ArticleView article={article} related={related} canEdit={canEdit} />;
    });
  });

  // ------------------------------------------------------------------------------------------- staff
  const page = (request: FastifyRequest, reply: FastifyReply, view: Parameters<typeof renderPage>[3], status?: number) =>
    renderPage(ctx, request, reply, view, status);

  app.get('/admin/guide', { preHandler: requireUser }, async (request, reply) =>
    page(request, reply, <views.AdminArticlesView articles={await service.listArticlesForEditors(ctx, request.actor)} />),
  );

  app.get('/admin/guide/nouveau', { preHandler: requireUser }, (request, reply) => {
    const blank = service.startArticle(ctx, request.actor);
    return page(request, reply, <views.ArticleEditorView values={{ ...blank }} />);
  });

  app.post('/admin/guide/nouveau', { preHandler: requireUser }, async (request, reply) => {
    if (isPreview(request.body)) {
      const input = parseForm(schemas.PreviewInput, request.body);
      const { preview } = await service.previewArticle(ctx, request.actor, input.ok ? input.data : EMPTY_PREVIEW);
      return page(request, reply, <views.ArticleEditorView values={formValues(request.body)} errors={input.ok ? {} : input.errors} preview={preview} />, input.ok ? 200 : 422);
    }
    try {
      const form = parseForm(schemas.ArticleInput, request.body);
      if (!form.ok) throw new AppError('invalid', 'errors.invalid', form.errors);
      const created = await service.createArticle(ctx, request.actor, form.data);
      setFlash(reply, 'guide.editor.created');
      return reply.redirect(`/admin/guide/${created.id}`, 303);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      service.startArticle(ctx, request.actor); // a refused person gets 403, not the form
      return page(request, reply, <views.ArticleEditorView values={formValues(request.body)} errors={errors} />, statusOf(error));
    }
  });

  app.get('/admin/guide/:id', { preHandler: requireUser }, async (request, reply) => {
    const from = (request.query as { revision?: string }).revision;
    const fromRevision = from === undefined ? undefined : schemas.RevisionNumber.safeParse(from);
    const revision = fromRevision ? (fromRevision.success ? fromRevision.data : Number.NaN) : undefined;
    const { article, draft, restoredFrom } = await service.getArticleForEditing(ctx, request.actor, idParam(request), revision);
    const values = { ...valuesOf(draft), version: String(article.version) };
    return page(request, reply, <views.ArticleEditorView article={article} values={values} restoredFrom={restoredFrom} />);
  });

  app.post('/admin/guide/:id', { preHandler: requireUser }, async (request, reply) => {
    const id = idParam(request);
    if (isPreview(request.body)) {
      const input = parseForm(schemas.PreviewInput, request.body);
      const { preview, article } = await service.previewArticle(ctx, request.actor, input.ok ? input.data : EMPTY_PREVIEW, id);
      return page(request, reply, <views.ArticleEditorView article={article} values={formValues(request.body)} errors={input.ok ? {} : input.errors} preview={preview} />, input.ok ? 200 : 422);
    }
    try {
      const form = parseForm(schemas.ArticleInput, request.body);
      if (!form.ok) throw new AppError('invalid', 'errors.invalid', form.errors);
      await service.updateArticle(ctx, request.actor, id, form.data);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      const { article } = await service.getArticleForEditing(ctx, request.actor, id);
      return page(request, reply, <views.ArticleEditorView article={article} values={formValues(request.body)} errors={errors} />, statusOf(error));
    }
    setFlash(reply, 'guide.editor.saved');
    return reply.redirect(`/admin/guide/${id}`, 303);
  });

  app.get('/admin/guide/:id/revisions', { preHandler: requireUser }, async (request, reply) => {
    const { article, revisions } = await service.listArticleRevisions(ctx, request.actor, idParam(request));
    return page(request, reply, <views.RevisionsView article={article} revisions={revisions} />);
  });

  app.get('/admin/guide/:id/revisions/:number', { preHandler: requireUser }, async (request, reply) => {
    const number = schemas.RevisionNumber.safeParse((request.params as { number: string }).number);
    const { article, revision } = await service.getArticleRevision(ctx, request.actor, idParam(request), number.success ? number.data : Number.NaN);
    return page(request, reply, <views.RevisionView article={article} revision={revision} />);
  });
}
