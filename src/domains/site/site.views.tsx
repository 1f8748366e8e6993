/** The home page and the back office's page of its highlights. Pure views. */
import type { VNode } from 'preact';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, TextArea, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { SourceRef } from '../../web/components/source-ref.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';
import { dateTimeFormat, numberFormat } from '../../shared/formatters.js';
import type { HighlightSource, HighlightText, HomeHighlight, StaffText } from './site.highlights.js';
import type { HighlightRow } from './site.service.js';

const sourceId = (s: HighlightSource) => JSON.stringify([s.title, s.publisher ?? '', s.edition ?? '', s.date ?? '']);

function useText() {
  const { t, locale } = usePage();
  return (text: HighlightText | StaffText) => ('key' in text ? t(text.key, text.params) : locale === 'en' && text.en ? text.en : text.text);
}

/** The territory in figures, each with its numbered sources (edition and licence) listed below. */
function Highlights({ list }: { list: HomeHighlight[] }) {
  const { t, intl } = usePage();
  const text = useText();
  const n = numberFormat(intl);
  const day = dateTimeFormat(intl, { dateStyle: 'long', timeZone: 'UTC' });
  // Sources numbered in the order the figures first cite them, each listed once.
  const order: HighlightSource[] = [];
  const numberOf = (s: HighlightSource) => {
    const i = order.findIndex((o) => sourceId(o) === sourceId(s));
    if (i >= 0) return i + 1;
    order.push(s);
    return order.length;
  };
  const refs = new Map(list.map((h) => [h.key, h.sources.map(numberOf)]));
  const value = (h: HomeHighlight) =>
    h.value.kind === 'count' ? n.format(h.value.amount) : h.value.kind === 'eur_m2' ? t('home.figures.perM2', { price: `${n.format(h.value.amount)} €` }) : h.value.text;
  return (
    <section aria-labelledby="chiffres">
      <h2 id="chiffres">{t('home.figures.title')}</h2>
      <dl class="stats">
        {list.map((h) => (
          <div class="stat" key={h.key}>
            <dt>{text(h.label)}</dt>
            <dd>
              <span class="stat-value">
                {value(h)}
                {refs.get(h.key)!.map((r) => (
                  <SourceRef key={r} n={r} />
                ))}
              </span>
              {h.notes?.map((note, i) => (
                <span class="stat-note" key={i}>
                  {text(note)}
                </span>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="sources-chiffres" class="sources" data-source-list>
        <h3 id="sources-chiffres">{t('home.figures.sources')}</h3>
        <ol class="source-list small">
          {order.map((s, i) => (
            <li key={sourceId(s)} id={`source-${i + 1}`}>
              {s.publisher
                ? t('home.figures.sourceDataset', { title: s.title, publisher: s.publisher, edition: s.edition ?? '', licence: s.licence ?? '' })
                : t('home.figures.sourceStaff', { title: s.title, date: s.date ? day.format(new Date(`${s.date}T00:00:00Z`)) : '' })}
              {s.url && (
                <>
                  {' '}
                  <a href={s.url} rel="noopener noreferrer external">
                    {t('site.highlights.sourceLink')}
                  </a>
                </>
              )}
            </li>
          ))}
        </ol>
        <p class="small">
          <a href="/sources">{t('site.footer.sources')}</a>
        </p>
      </section>
    </section>
  );
}

export function HomeView({ highlights, sections = [] }: { highlights: HomeHighlight[]; sections?: VNode[] }) {
  const { t } = usePage();
  return (
    <Layout title={t('home.title')} description={t('home.lead')}>
      <section class="hero">
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <p class="actions">
          <a class="button button-primary" href="/villages">
            {t('home.cta.villages')}
          </a>
          <a class="button button-secondary" href="/guide">
            {t('home.cta.guide')}
          </a>
        </p>
      </section>
      {highlights.length > 0 && <Highlights list={highlights} />}
      {sections}
      <section aria-labelledby="why">
        <h2 id="why">{t('home.why.title')}</h2>
        <ul class="cards three">
          <li class="card">{t('home.why.prices')}</li>
          <li class="card">{t('home.why.calm')}</li>
          <li class="card">{t('home.why.culture')}</li>
        </ul>
      </section>
      <section aria-labelledby="steps">
        <h2 id="steps">{t('home.steps.title')}</h2>
        <ol class="steps">
          <li>{t('home.steps.1')}</li>
          <li>{t('home.steps.2')}</li>
          <li>{t('home.steps.3')}</li>
        </ol>
      </section>
      <div class="cards two">
        <section class="card" aria-labelledby="dynamo">
          <h2 id="dynamo">{t('home.dynamo.title')}</h2>
          <p>{t('home.dynamo.text')}</p>
          <p>
            <a href="/tiers-lieux">{t('home.dynamo.link')}</a>
          </p>
        </section>
        <section class="card" aria-labelledby="community">
          <h2 id="community">{t('home.community.title')}</h2>
          <p>{t('home.community.text')}</p>
          <p>
            <a href="/inscription">{t('home.community.link')}</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------- back office

export interface HighlightsAdminProps {
  rows: HighlightRow[];
  computed: HomeHighlight[];
  /** The form being edited (a row's id), or null for a new one. */
  editing: number | null;
  values?: FormValues;
  errors?: FieldErrors;
}

const valuesOf = (r: HighlightRow): FormValues => ({
  figure: r.figure,
  textFr: r.text_fr,
  textEn: r.text_en ?? '',
  sourceNote: r.source_note,
  sourceUrl: r.source_url ?? '',
  sourceDate: r.source_date,
  position: String(r.position),
});

export function HighlightsAdminView({ rows, computed, editing, values, errors }: HighlightsAdminProps) {
  const { t, intl } = usePage();
  const text = useText();
  const day = dateTimeFormat(intl, { dateStyle: 'long', timeZone: 'UTC' });
  const current = editing === null ? undefined : rows.find((r) => r.id === editing);
  const formValues = values ?? (current ? valuesOf(current) : {});
  const action = current ? `/admin/page-accueil/${current.id}` : '/admin/page-accueil';
  return (
    <AdminShell title={t('site.highlights.title')}>
      <h1>{t('site.highlights.title')}</h1>
      <p class="lead">{t('site.highlights.lead')}</p>
      <section aria-labelledby="saisis">
        <h2 id="saisis">{t('site.highlights.staff')}</h2>
        <Table
          rows={rows}
          rowKey={(r) => String(r.id)}
          empty={t('site.highlights.none')}
          columns={[
            { key: 'figure', header: t('site.highlights.col.figure'), rowHeader: true, render: (r) => r.figure },
            { key: 'text', header: t('site.highlights.col.text'), render: (r) => r.text_fr },
            { key: 'source', header: t('site.highlights.col.source'), render: (r) => `${r.source_note} (${day.format(new Date(`${r.source_date}T00:00:00Z`))})` },
            { key: 'position', header: t('site.highlights.col.position'), align: 'end', render: (r) => String(r.position) },
            {
              key: 'action',
              header: t('site.highlights.col.action'),
              render: (r) => (
                <>
                  <a href={`/admin/page-accueil?modifier=${r.id}#formulaire`} aria-label={t('site.highlights.editLabel', { figure: r.figure })}>
                    {t('site.highlights.edit')}
                  </a>{' '}
                  <Form action={`/admin/page-accueil/${r.id}/retirer`} class="inline-form">
                    <button type="submit" class="link-button" aria-label={t('site.highlights.removeLabel', { figure: r.figure })}>
                      {t('site.highlights.remove')}
                    </button>
                  </Form>
                </>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="formulaire">
        <h2 id="formulaire">{current ? t('site.highlights.formEdit', { figure: current.figure }) : t('site.highlights.formNew')}</h2>
        <Form action={action}>
          <ErrorSummary errors={errors ?? {}} />
          <Field name="figure" label={t('site.highlights.figure')} hint={t('site.highlights.figureHint')} values={formValues} errors={errors} required maxLength={40} />
          <TextArea name="textFr" label={t('site.highlights.textFr')} values={formValues} errors={errors} required rows={2} maxLength={300} />
          <TextArea name="textEn" label={t('site.highlights.textEn')} hint={t('site.highlights.textEnHint')} values={formValues} errors={errors} rows={2} maxLength={300} />
          <Field name="sourceNote" label={t('site.highlights.source')} hint={t('site.highlights.sourceHint')} values={formValues} errors={errors} required maxLength={500} />
          <Field name="sourceUrl" label={t('site.highlights.url')} type="url" values={formValues} errors={errors} maxLength={500} />
          <Field name="sourceDate" label={t('site.highlights.date')} type="date" values={formValues} errors={errors} required />
          <Field name="position" label={t('site.highlights.position')} hint={t('site.highlights.positionHint')} values={formValues} errors={errors} inputMode="numeric" maxLength={4} />
          <Button>{current ? t('site.highlights.saveEdit') : t('site.highlights.save')}</Button>
        </Form>
        {current && (
          <p>
            <a href="/admin/page-accueil">{t('site.highlights.cancel')}</a>
          </p>
        )}
      </section>
      <section aria-labelledby="calcules">
        <h2 id="calcules">{t('site.highlights.computed')}</h2>
        <p>{t('site.highlights.computedLead')}</p>
        <ul>
          {computed.map((h) => (
            <li key={h.key}>
              {text(h.label)} — {h.sources.map((s) => s.title).join(' ; ')}
            </li>
          ))}
        </ul>
      </section>
    </AdminShell>
  );
}
