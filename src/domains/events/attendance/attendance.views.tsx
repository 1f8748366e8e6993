/**
 * The door list for a phone (one column, big buttons, a GET search that needs no JavaScript), the page a check-in
 * QR code opens, and the attendance figures with their source. Pure views.
 */
import { formatDateTime, formatNumber } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { RegistrationRow } from '../events.common.js';
import { When } from '../events.views.js';
import type { AttendanceFigures, DoorList, getCheckin } from './attendance.service.js';

export function DoorView({ data, values, errors }: { data: DoorList; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const e = data.event;
  const base = `/admin/agenda/${e.id}/porte`;
  const mark = (r: RegistrationRow, presence: 'present' | 'absent' | 'aucun', label: string, variant?: 'secondary') => (
    <Form action={`${base}/${r.id}`} scope={`${presence}-${r.id}`}>
      <input type="hidden" name="presence" value={presence} />
      {data.q && <input type="hidden" name="q" value={data.q} />}
      <Button variant={variant}>{label}</Button>
    </Form>
  );
  return (
    <AdminShell title={t('events.door.titleOf', { event: e.title })}>
      <p class="back-link">
        <a href={`/admin/agenda/${e.id}`}>{e.title}</a>
      </p>
      <h1>{t('events.door.title')}</h1>
      <p>
        {e.title} · <When event={e} />
      </p>
      <p role="status">
        <strong>{t('events.door.count', { present: data.present, expected: data.expected })}</strong>
      </p>
      <form method="get" action={base} class="filters" role="search" aria-label={t('events.door.search')}>
        <div class="field">
          <label for="porte-q">{t('events.door.search')}</label>
          <input id="porte-q" name="q" type="search" value={data.q} maxLength={80} autocomplete="off" />
        </div>
        <button type="submit" class="button button-secondary">
          {t('events.door.searchSubmit')}
        </button>
      </form>
      {data.q && (
        <p>
          <a href={base}>{t('events.door.everyone')}</a>
        </p>
      )}
      {data.people.length ? (
        <ul class="door-list" aria-label={t('events.door.list')}>
          {data.people.map((r) => (
            <li key={r.id} id={`r-${r.id}`} class="door-person">
              <p>
                <strong>{r.name}</strong>
                {r.seats > 1 && <> · {t('events.door.seats', { seats: r.seats })}</>}
                <br />
                <span class={r.attendance === 'present' || r.attendance === 'walk_in' ? 'tag tag-ok' : 'tag'}>{t(`events.door.state.${r.attendance ?? 'none'}`)}</span>
              </p>
              {r.status === 'confirmed' && (
                <div class="actions">
                  {r.attendance !== 'present' && mark(r, 'present', t('events.door.markPresent', { name: r.name }))}
                  {r.attendance !== 'absent' && mark(r, 'absent', t('events.door.markAbsent', { name: r.name }), 'secondary')}
                  {r.attendance && mark(r, 'aucun', t('events.door.clear', { name: r.name }), 'secondary')}
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{data.q ? t('events.door.noMatch') : t('events.staff.noRegistrants')}</p>
      )}
      <h2 id="sur-place">{t('events.door.walkIn')}</h2>
      <p>{t('events.door.walkInLead')}</p>
      {errors && <ErrorSummary errors={errors} />}
      <Form action={`${base}/sur-place`} scope="walkin">
        <Field name="nom" label={t('events.visitor.name')} values={values} errors={errors} required maxLength={120} autocomplete="off" />
        <Field name="email" label={t('events.door.emailOptional')} type="email" values={values} errors={errors} maxLength={254} autocomplete="off" />
        <Button>{t('events.door.walkInSubmit')}</Button>
      </Form>
      <p class="small muted">{t('events.door.source')}</p>
    </AdminShell>
  );
}

export function CheckinView({ page, action }: { page: Awaited<ReturnType<typeof getCheckin>>; action: string }) {
  const { t } = usePage();
  if (!page.forTeam) {
    return (
      <Layout title={t('events.checkin.title')} narrow>
        <h1>{t('events.checkin.title')}</h1>
        <p>{t('events.checkin.forTeam')}</p>
        <p>
          <a href="/agenda">{t('events.back')}</a>
        </p>
      </Layout>
    );
  }
  const { registration: r, event: e } = page;
  const present = r.attendance === 'present' || r.attendance === 'walk_in';
  return (
    <Layout title={t('events.checkin.title')} narrow>
      <h1>{t('events.checkin.title')}</h1>
      <p>
        <a href={`/admin/agenda/${e.id}/porte`}>{e.title}</a> · <When event={e} />
      </p>
      <p>
        <strong>{r.name}</strong> · {t('events.door.seats', { seats: r.seats })} · {t(`events.regStatus.${r.status}`)}
      </p>
      <p role="status">
        <span class={present ? 'tag tag-ok' : 'tag'}>{t(`events.door.state.${r.attendance ?? 'none'}`)}</span>
      </p>
      {r.status === 'confirmed' && e.status === 'published' && !present && (
        <Form action={action} scope="accueil">
          <Button>{t('events.door.markPresent', { name: r.name })}</Button>
        </Form>
      )}
    </Layout>
  );
}

export function FiguresView({ figures: f, query }: { figures: AttendanceFigures; query: { de?: string; a?: string } }) {
  const { t, intl, locale } = usePage();
  const n = (v: number) => formatNumber(v, intl);
  const tallyColumns = (first: string) => [
    { key: 'label', header: first, rowHeader: true, render: (x: AttendanceFigures['byType'][number]) => x.label },
    { key: 'events', header: t('events.figures.events'), align: 'end' as const, render: (x: AttendanceFigures['byType'][number]) => n(x.events) },
    { key: 'registered', header: t('events.figures.registered'), align: 'end' as const, render: (x: AttendanceFigures['byType'][number]) => n(x.registered) },
    { key: 'checked', header: t('events.figures.checked'), align: 'end' as const, render: (x: AttendanceFigures['byType'][number]) => n(x.checked) },
    { key: 'present', header: t('events.figures.present'), align: 'end' as const, render: (x: AttendanceFigures['byType'][number]) => n(x.present) },
    { key: 'walkIns', header: t('events.figures.walkIns'), align: 'end' as const, render: (x: AttendanceFigures['byType'][number]) => n(x.walkIns) },
  ];
  const csv = `/admin/agenda/chiffres.csv${query.de || query.a ? `?${new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1])).toString()}` : ''}`;
  const source = t('events.figures.source', { date: formatDateTime(f.asOf, intl) });
  return (
    <AdminShell title={t('events.figures.title')}>
      <p class="back-link">
        <a href="/admin/agenda">{t('events.staff.title')}</a>
      </p>
      <h1>{t('events.figures.title')}</h1>
      <p>{t('events.figures.lead')}</p>
      <form method="get" action="/admin/agenda/chiffres" class="filters">
        <div class="field">
          <label for="chiffres-de">{t('events.figures.from')}</label>
          <input id="chiffres-de" name="de" type="month" value={query.de ?? ''} />
        </div>
        <div class="field">
          <label for="chiffres-a">{t('events.figures.to')}</label>
          <input id="chiffres-a" name="a" type="month" value={query.a ?? ''} />
        </div>
        <button type="submit" class="button button-secondary">
          {t('events.figures.show')}
        </button>
      </form>
      <p>
        <a href={csv}>{t('events.figures.csv')}</a>
      </p>
      <h2>{t('events.figures.byType')}</h2>
      <Table caption={t('events.figures.byType')} wrap="region" captionId="presence-par-type" captionHidden columns={tallyColumns(t('events.field.type'))} rows={f.byType.map((x) => ({ ...x, label: locale === 'fr' ? x.label : (f.events.find((e) => e.typeKey === x.key)?.typeLabelEn ?? x.label) }))} rowKey={(x) => x.key} />
      <p class="small muted">{source}</p>
      <h2>{t('events.figures.byMonth')}</h2>
      <Table caption={t('events.figures.byMonth')} wrap="region" captionId="presence-par-mois" captionHidden columns={tallyColumns(t('events.figures.month'))} rows={f.byMonth} rowKey={(x) => x.key} />
      <p class="small muted">{source}</p>
      <h2>{t('events.figures.byEvent')}</h2>
      {f.events.length ? (
        <Table
          caption={t('events.figures.byEvent')}
          wrap="region"
          captionId="presence-par-evenement"
          captionHidden
          columns={[
            { key: 'title', header: t('events.staff.event'), rowHeader: true, render: (e: AttendanceFigures['events'][number]) => <a href={`/admin/agenda/${e.id}`}>{e.title}</a> },
            { key: 'when', header: t('events.field.when'), render: (e: AttendanceFigures['events'][number]) => formatDateTime(e.startsAt, intl) },
            { key: 'registered', header: t('events.figures.registered'), align: 'end' as const, render: (e: AttendanceFigures['events'][number]) => `${n(e.registered)} / ${n(e.capacity)}` },
            { key: 'present', header: t('events.figures.present'), align: 'end' as const, render: (e: AttendanceFigures['events'][number]) => (e.present === null ? t('events.figures.notChecked') : n(e.present)) },
          ]}
          rows={f.events}
          rowKey={(e) => String(e.id)}
        />
      ) : (
        <p>{t('events.archives.empty')}</p>
      )}
      <p class="small muted">{source}</p>
    </AdminShell>
  );
}
