/** Guide pages: the list of articles, one article with its table of contents, and the staff editor. */
import type { PublicationStatus } from '../../db/schema.js';
import { formatDate, formatDateTime } from '../../shared/time.js';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { renderMarkdown, type TocEntry } from '../../web/markdown.js';
import { usePage } from '../../web/page-context.js';
import { CATEGORIES, CATEGORY_GROUPS } from './guide.categories.js';

interface ArticleSummary {
  id: number;
  slug: string;
  category: string;
  title: string;
  summary: string;
  status: PublicationStatus;
  published_at: Date | null;
  updated_at: Date;
  updated_by_name?: string | null;
}

interface Article extends ArticleSummary {
  body_md: string;
  version: number;
}

export function StatusTag({ status }: { status: PublicationStatus }) {
  const { t } = usePage();
  return <span class={`tag status-${status}`}>{t(`guide.status.${status}`)}</span>;
}

// ---------------------------------------------------------------------------------------------- public

export function GuideIndexView({ articles }: { articles: ArticleSummary[] }) {
  const { t } = usePage();
  const byCategory = new Map<string, ArticleSummary[]>();
  for (const a of articles) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
  return (
    <Layout title={t('guide.title')} description={t('guide.lead')}>
      <h1>{t('guide.title')}</h1>
      <p class="lead">{t('guide.lead')}</p>
      {articles.length === 0 && <p>{t('guide.none')}</p>}
      {CATEGORY_GROUPS.map((group) => {
        const categories = group.categories.filter((c) => byCategory.has(c));
        if (!categories.length) return null;
        return (
          <section key={group.key} aria-labelledby={`groupe-${group.key}`} class="guide-group">
            <h2 id={`groupe-${group.key}`}>{t(`guide.group.${group.key}`)}</h2>
            {categories.map((c) => (
              <section key={c} aria-labelledby={`rubrique-${c}`}>
                <h3 id={`rubrique-${c}`}>{t(`guide.category.${c}`)}</h3>
                <ul class="cards guide-cards">
                  {byCategory.get(c)!.map((a) => (
                    <li key={a.slug} class="card">
                      <a href={`/guide/${a.slug}`} class="card-title" lang="fr">
                        {a.title}
                      </a>
                      {a.summary && <p lang="fr">{a.summary}</p>}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </section>
        );
      })}
    </Layout>
  );
}

function TableOfContents({ toc }: { toc: TocEntry[] }) {
  const { t } = usePage();
  if (toc.length < 2) return null;
  // Level-3 headings nest under the level-2 heading before them.
  const items: { entry: TocEntry; children: TocEntry[] }[] = [];
  for (const e of toc) {
    if (e.level === 2 || !items.length) items.push({ entry: e, children: [] });
    else items[items.length - 1].children.push(e);
  }
  return (
    <nav class="toc" aria-labelledby="sommaire">
      <h2 id="sommaire">{t('guide.article.toc')}</h2>
      <ol>
        {items.map(({ entry, children }) => (
          <li key={entry.id} lang="fr">
            <a href={`#${entry.id}`}>{entry.text}</a>
            {children.length > 0 && (
              <ol>
                {children.map((c) => (
                  <li key={c.id}>
                    <a href={`#${c.id}`}>{c.text}</a>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The rendered Markdown with its table of contents; shared by the public page, the preview and old revisions. */
export function ArticleBody({ markdown, withToc = true }: { markdown: string; withToc?: boolean }) {
  const { body, toc } = renderMarkdown(markdown);
  return (
    <div class={withToc && toc.length >= 2 ? 'guide-layout' : undefined}>
      {withToc && <TableOfContents toc={toc} />}
      <div lang="fr" class="guide-body">
        {body}
      </div>
    </div>
  );
}

export function ArticleView({ article, related, canEdit }: { article: Article; related: ArticleSummary[]; canEdit: boolean }) {
  const { t, intl } = usePage();
  return (
    <Layout title={article.title} description={article.summary || undefined}>
      <nav aria-label={t('site.breadcrumb')} class="breadcrumb">
        <ol>
          <li>
            <a href="/guide">{t('site.nav.guide')}</a>
          </li>
          <li>{t(`guide.category.${article.category}`)}</li>
        </ol>
      </nav>
      {article.status !== 'published' && (
        <p class="alert alert-info" role="note">
          {t('guide.article.draft')}
        </p>
      )}
      <article class="guide-article">
        <header>
          <h1 lang="fr">{article.title}</h1>
          {article.summary && (
            <p class="lead" lang="fr">
              {article.summary}
            </p>
          )}
          <p class="small muted">
            {t('guide.article.updated', { date: formatDate(article.updated_at, intl) })}
            {canEdit && (
              <>
                {' · '}
                <a href={`/admin/guide/${article.id}`}>{t('guide.article.edit')}</a>
              </>
            )}
          </p>
        </header>
        <ArticleBody markdown={article.body_md} />
      </article>
      <aside class="card guide-ask" aria-label={t('guide.article.askLink')}>
        <p>{t('guide.article.ask')}</p>
        <p>
          <a class="button button-secondary" href="/candidature">
            {t('guide.article.askLink')}
          </a>
        </p>
      </aside>
      {related.length > 0 && (
        <section aria-labelledby="meme-rubrique">
          <h2 id="meme-rubrique">{t('guide.article.related')}</h2>
          <ul>
            {related.map((a) => (
              <li key={a.slug} lang="fr">
                <a href={`/guide/${a.slug}`}>{a.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href="/guide">{t('guide.article.back')}</a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- staff

export function AdminArticlesView({ articles }: { articles: ArticleSummary[] }) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('guide.admin.title')}>
      <h1>{t('guide.admin.title')}</h1>
      <p class="actions">
        <a class="button button-primary" href="/admin/guide/nouveau">
          {t('guide.admin.new')}
        </a>
      </p>
      <p>{t('guide.admin.count', { count: articles.length })}</p>
      <Table
        rows={articles}
        rowKey={(a) => a.id}
        columns={[
          { key: 'title', header: t('guide.admin.col.title'), render: (a) => <a href={`/admin/guide/${a.id}`}>{a.title}</a> },
          { key: 'category', header: t('guide.admin.col.category'), render: (a) => t(`guide.category.${a.category}`) },
          { key: 'status', header: t('guide.admin.col.status'), render: (a) => <StatusTag status={a.status} /> },
          {
            key: 'updated',
            header: t('guide.admin.col.updated'),
            render: (a) => (
              <>
                {formatDateTime(a.updated_at, intl)}
                {a.updated_by_name && ` ${t('guide.admin.by', { name: a.updated_by_name })}`}
              </>
            ),
          },
        ]}
      />
    </AdminShell>
  );
}

export interface EditorProps {
  /** Absent for a new article. */
  article?: { id: number; slug: string; title: string; status: PublicationStatus; version: number };
  values: FormValues;
  errors?: FieldErrors;
  preview?: { title: string; summary: string; body: string };
  restoredFrom?: number | null;
}

export function ArticleEditorView({ article, values, errors = {}, preview, restoredFrom }: EditorProps) {
  const { t } = usePage();
  const title = article ? t('guide.editor.editTitle', { title: article.title }) : t('guide.editor.newTitle');
  const action = article ? `/admin/guide/${article.id}` : '/admin/guide/nouveau';
  const rendered = preview ? renderMarkdown(preview.body) : null;
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      {article && (
        <p class="actions">
          <StatusTag status={article.status} />
          <a href={`/guide/${article.slug}`}>{t('guide.editor.viewPublic')}</a>
          <a href={`/admin/guide/${article.id}/revisions`}>{t('guide.editor.revisions')}</a>
        </p>
      )}
      {restoredFrom && (
        <p class="alert alert-info" role="status">
          {t('guide.editor.restored', { number: restoredFrom })}
        </p>
      )}
      {preview && rendered && (
        <section class="preview" aria-labelledby="apercu">
          <h2 id="apercu">{t('guide.editor.previewTitle')}</h2>
          <p class="small muted">{t('guide.editor.previewNote')}</p>
          {rendered.removed > 0 && (
            <p class="alert alert-error" role="alert">
              {t('guide.editor.removed', { count: rendered.removed })}
            </p>
          )}
          <div class="preview-frame">
            <p class="preview-title" lang="fr">
              {preview.title}
            </p>
            {preview.summary && (
              <p class="lead" lang="fr">
                {preview.summary}
              </p>
            )}
            <ArticleBody markdown={preview.body} />
          </div>
        </section>
      )}
      <Form action={action} class="editor">
        <ErrorSummary errors={errors} />
        <input type="hidden" name="version" value={String(values.version ?? article?.version ?? '')} />
        <Field name="title" label={t('guide.editor.fieldTitle')} values={values} errors={errors} required maxLength={200} />
        <Field name="slug" label={t('guide.editor.fieldSlug')} hint={t('guide.editor.slugHint')} values={values} errors={errors} maxLength={120} />
        <Select
          name="category"
          label={t('guide.editor.fieldCategory')}
          values={values}
          errors={errors}
          required
          options={CATEGORIES.map((c) => ({ value: c, label: t(`guide.category.${c}`) }))}
        />
        <TextArea name="summary" label={t('guide.editor.fieldSummary')} hint={t('guide.editor.summaryHint')} values={values} errors={errors} rows={3} maxLength={600} />
        <TextArea name="body" label={t('guide.editor.fieldBody')} hint={t('guide.editor.bodyHint')} values={values} errors={errors} required rows={24} />
        <Select
          name="status"
          label={t('guide.editor.fieldStatus')}
          values={values}
          errors={errors}
          options={(['draft', 'published'] as const).map((s) => ({ value: s, label: t(`guide.status.${s}`) }))}
        />
        <Field name="note" label={t('guide.editor.fieldNote')} hint={t('guide.editor.noteHint')} values={values} errors={errors} maxLength={300} />
        <p class="actions">
          <Button variant="secondary" name="action" value="preview">
            {t('guide.editor.preview')}
          </Button>
          <Button name="action" value="save">
            {t('guide.editor.save')}
          </Button>
        </p>
      </Form>
    </AdminShell>
  );
}

interface RevisionRow {
  number: number;
  title: string;
  status: PublicationStatus;
  note: string;
  created_at: Date;
  author_name: string | null;
  length: number;
}

export function RevisionsView({ article, revisions }: { article: { id: number; title: string }; revisions: RevisionRow[] }) {
  const { t, intl } = usePage();
  const title = t('guide.revisions.title', { title: article.title });
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      <p>
        <a href={`/admin/guide/${article.id}`}>{t('guide.revisions.edit')}</a>
      </p>
      <Table
        rows={revisions}
        rowKey={(r) => r.number}
        columns={[
          {
            key: 'number',
            header: t('guide.revisions.col.number'),
            render: (r) => (
              <a href={`/admin/guide/${article.id}/revisions/${r.number}`} aria-label={t('guide.revisions.show', { number: r.number })}>
                {r.number}
              </a>
            ),
          },
          { key: 'date', header: t('guide.revisions.col.date'), render: (r) => formatDateTime(r.created_at, intl) },
          { key: 'author', header: t('guide.revisions.col.author'), render: (r) => r.author_name ?? t('guide.revisions.system') },
          { key: 'status', header: t('guide.revisions.col.status'), render: (r) => <StatusTag status={r.status} /> },
          { key: 'note', header: t('guide.revisions.col.note'), render: (r) => r.note || '—' },
          { key: 'length', header: t('guide.revisions.col.length'), align: 'end', render: (r) => t('guide.revisions.chars', { count: Number(r.length) }) },
        ]}
      />
    </AdminShell>
  );
}

export function RevisionView({
  article,
  revision,
}: {
  article: { id: number; title: string };
  revision: { number: number; title: string; summary: string; body_md: string; status: PublicationStatus; created_at: Date; author_name: string | null; note: string };
}) {
  const { t, intl } = usePage();
  const title = t('guide.revisions.versionTitle', { number: revision.number, title: article.title });
  return (
    <AdminShell title={title}>
      <h1>{title}</h1>
      <p>
        {t('guide.revisions.meta', { date: formatDateTime(revision.created_at, intl), author: revision.author_name ?? t('guide.revisions.system') })}{' '}
        <StatusTag status={revision.status} />
      </p>
      {revision.note && <p class="muted">{revision.note}</p>}
      <p class="actions">
        <a class="button button-primary" href={`/admin/guide/${article.id}?revision=${revision.number}`}>
          {t('guide.revisions.restore')}
        </a>
        <a href={`/admin/guide/${article.id}/revisions`}>{t('guide.revisions.back')}</a>
      </p>
      <div class="preview-frame">
        <p class="preview-title" lang="fr">
          {revision.title}
        </p>
        {revision.summary && (
          <p class="lead" lang="fr">
            {revision.summary}
          </p>
        )}
        <ArticleBody markdown={revision.body_md} withToc={false} />
      </div>
      <details class="source">
        <summary>{t('guide.revisions.source')}</summary>
        <pre lang="fr">{revision.body_md}</pre>
      </details>
    </AdminShell>
  );
}
