/** The welcome team's screens: the filterable list, the board by stage, the case page and the drop reasons. */
import type { VNode } from 'preact';
import type { CaseStage } from '../../../db/schema.js';
import { formatDate, formatDateTime, formatDay } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, TextArea } from '../../../web/components/forms.js';
import { Pagination } from '../../../web/components/pagination.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import type { FormState, PageForms } from './cases.extensions.js';
import { ChecklistLabel, MessageThread } from './household.views.js';
import { PROJECTS, type CaseListQuery } from './cases.schemas.js';
import type { CaseFile, CaseSummary, TimelineEntry } from './cases.service.js';
import { STAGES, TRANSITIONS_WITH_INPUT, type TransitionName } from './stages.js';
import { AreaTagFilters, CaseTagsSection, TaskTagField, TaskTagLabel, type ListFilterOptions } from './tags.views.js';
import { HouseholdTables, TargetVillagesFact } from './people.views.js';
import { LabelListEditor } from './labels.views.js';
interface StaffPerson {
  id: string;
  display_name: string;
}

export function StageBadge({ stage }: { stage: CaseStage }) {
  const { t } = usePage();
  return <span class={`stage stage-${stage}`}>{t(`newcomers.stage.${stage}`)}</span>;
}

function SubNav({ current }: { current: 'list' | 'board' | 'reasons' | 'tags' }) {
  const { t } = usePage();
  const items = [
    { key: 'list', href: '/admin/accueil', label: t('newcomers.staff.list') },
    { key: 'board', href: '/admin/accueil/tableau', label: t('newcomers.staff.board') },
    { key: 'reasons', href: '/admin/accueil/motifs', label: t('newcomers.reasons.title') },
    { key: 'stays', href: '/admin/accueil/sejours', label: t('newcomers.stays.heading') },
    { key: 'tags', href: '/admin/accueil/financeurs', label: t('newcomers.tags.title') },
  ];
  return (
    <nav aria-label={t('newcomers.staff.views')} class="subnav">
      <ul>
        {items.map((i) => (
          <li key={i.key}>
            <a href={i.href} aria-current={i.key === current ? 'page' : undefined}>
              {i.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Filters({ action, query, staff, withStage, options }: { action: string; query: CaseListQuery; staff: StaffPerson[]; withStage: boolean; options?: ListFilterOptions }) {
  const { t } = usePage();
  return (
    <form method="get" action={action} class="filters" role="search" aria-label={t('newcomers.filter.label')}>
      <div class="field filter-search">
        <label for="q-q">{t('newcomers.filter.search')}</label>
        <input id="q-q" type="search" name="q" maxLength={100} value={query.q ?? ''} aria-describedby="q-q-hint" />
        <p class="hint" id="q-q-hint">
          {t('newcomers.filter.searchHint')}
        </p>
      </div>
      {withStage && (
        <div class="field">
          <label for="q-etape">{t('newcomers.filter.stage')}</label>
          <select id="q-etape" name="etape">
            <option value="">{t('newcomers.filter.allStages')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s} selected={query.etape === s}>
                {t(`newcomers.stage.${s}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="q-conseiller">{t('newcomers.filter.adviser')}</label>
        <select id="q-conseiller" name="conseiller">
          <option value="">{t('newcomers.filter.anyone')}</option>
          <option value="moi" selected={query.conseiller === 'moi'}>
            {t('newcomers.filter.me')}
          </option>
          <option value="aucun" selected={query.conseiller === 'aucun'}>
            {t('newcomers.filter.nobody')}
          </option>
          {staff.map((s) => (
            <option key={s.id} value={s.id} selected={query.conseiller === s.id}>
              {s.display_name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q-commune">{t('newcomers.filter.commune')}</label>
        <select id="q-commune" name="commune">
          <option value="">{t('newcomers.filter.allCommunes')}</option>
          {(options?.communes ?? []).map((c) => (
            <option key={c.insee} value={c.insee} selected={query.commune === c.insee}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q-projet">{t('newcomers.filter.project')}</label>
        <select id="q-projet" name="projet">
          <option value="">{t('newcomers.filter.allProjects')}</option>
          {PROJECTS.map((p) => (
            <option key={p} value={p} selected={query.projet === p}>
              {t(`newcomers.project.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <AreaTagFilters query={query} options={options} />
      <div class="checkbox">
        <input type="checkbox" id="q-retard" name="retard" value="1" checked={query.retard === '1'} />
        <label for="q-retard">{t('newcomers.filter.overdue')}</label>
      </div>
      <button type="submit" class="button button-secondary">
        {t('newcomers.filter.submit')}
      </button>
    </form>
  );
}

const queryOf = (q: CaseListQuery) => ({ q: q.q, etape: q.etape, conseiller: q.conseiller, commune: q.commune, projet: q.projet, retard: q.retard, epci: q.epci, financeur: q.financeur?.toString() });

/** Links from the cases list: the figures, and the list itself as CSV with the same filters. */
export function FunnelLinks({ query }: { query: Record<string, string | undefined> }) {
  const { t } = usePage();
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
  const qs = q.toString();
  return (
    <p class="funnel-links">
      <a href="/admin/accueil/chiffres">{t('newcomers.funnel.title')}</a>
      {' · '}
      <a href={`/admin/accueil/dossiers.csv${qs ? `?${qs}` : ''}`} download>
        {t('newcomers.funnel.exportList')}
      </a>
    </p>
  );
}

export function CasesListView({
  rows,
  total,
  page,
  pages,
  staff,
  communes,
  query,
  filterOptions,
}: {
  filterOptions?: ListFilterOptions;
  rows: CaseSummary[];
  total: number;
  page: number;
  pages: number;
  staff: StaffPerson[];
  communes: Record<string, string>;
  query: CaseListQuery;
}) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('newcomers.staff.title')}>
      <h1>{t('newcomers.staff.title')}</h1>
      <SubNav current="list" />
      <Filters action="/admin/accueil" query={query} staff={staff} withStage options={filterOptions} />
      <p role="status">{t('newcomers.staff.count', { count: total })}</p>
      <FunnelLinks query={queryOf(query)} />
      <Table
        caption={t('newcomers.staff.title')}
        captionHidden
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('newcomers.staff.empty')}
        columns={[
          {
            key: 'household',
            header: t('newcomers.col.household'),
            rowHeader: true,
            render: (r) => (
              <>
                <a href={`/admin/accueil/${r.id}`}>{r.contact_name}</a>
                <span class="small muted"> · {t('newcomers.case.number', { number: r.number })}</span>
              </>
            ),
          },
          { key: 'stage', header: t('newcomers.col.stage'), render: (r) => <StageBadge stage={r.stage} /> },
          { key: 'people', header: t('newcomers.col.people'), align: 'end', render: (r) => t('newcomers.col.peopleValue', { adults: Number(r.adults), children: Number(r.children) }) },
          { key: 'projects', header: t('newcomers.col.projects'), render: (r) => r.projects.map((p) => t(`newcomers.project.${p}`)).join(', ') },
          { key: 'villages', header: t('newcomers.col.villages'), render: (r) => r.communes.map((c) => communes[c] ?? c).join(', ') || '—' },
          { key: 'adviser', header: t('newcomers.col.adviser'), render: (r) => r.adviser_name ?? t('newcomers.filter.nobody') },
          { key: 'since', header: t('newcomers.col.since'), render: (r) => formatDate(r.stage_changed_at, intl) },
          { key: 'overdue', header: t('newcomers.col.overdue'), align: 'end', render: (r) => (Number(r.overdue) > 0 ? <strong class="overdue">{Number(r.overdue)}</strong> : '0') },
        ]}
      />
      <Pagination page={page} pages={pages} baseQuery={queryOf(query)} />
    </AdminShell>
  );
}

type BoardRow = CaseSummary & { in_stage: number; rank: number; transitions: TransitionName[] };

function MoveForm({ row }: { row: BoardRow }) {
  const { t } = usePage();
  const simple = row.transitions.filter((n) => !TRANSITIONS_WITH_INPUT.includes(n));
  const withInput = row.transitions.filter((n) => TRANSITIONS_WITH_INPUT.includes(n));
  return (
    <>
      {simple.length > 0 && (
        <form method="post" action={`/admin/accueil/${row.id}/etape?retour=tableau`} class="move-form">
          <MoveCsrf />
          <input type="hidden" name="expected" value={row.stage} />
          <label for={`move-${row.id}`}>{t('newcomers.board.moveTo')}</label>
          <select id={`move-${row.id}`} name="transition">
            {simple.map((n) => (
              <option key={n} value={n}>
                {t(`newcomers.transition.${n}`)}
              </option>
            ))}
          </select>
          <button type="submit" class="button button-secondary" aria-label={t('newcomers.board.moveLabel', { name: row.contact_name })}>
            {t('newcomers.board.move')}
          </button>
        </form>
      )}
      {withInput.map((n) => (
        <p key={n} class="small">
          <a href={`/admin/accueil/${row.id}#etape`}>{t(`newcomers.transition.${n}`)}…</a>
        </p>
      ))}
    </>
  );
}

function MoveCsrf() {
  const { csrfToken } = usePage();
  return <input type="hidden" name="_csrf" value={csrfToken} />;
}

export function BoardView({ rows, staff, query, filterOptions }: { rows: BoardRow[]; staff: StaffPerson[]; query: CaseListQuery; filterOptions?: ListFilterOptions }) {
  const { t } = usePage();
  const byStage = new Map<CaseStage, BoardRow[]>();
  for (const r of rows) byStage.set(r.stage, [...(byStage.get(r.stage) ?? []), r]);
  return (
    <AdminShell title={t('newcomers.staff.board')}>
      <h1>{t('newcomers.staff.board')}</h1>
      <SubNav current="board" />
      <Filters action="/admin/accueil/tableau" query={query} staff={staff} withStage={false} options={filterOptions} />
      <div class="board">
        {STAGES.map((stage) => {
          const list = byStage.get(stage) ?? [];
          const count = list[0] ? Number(list[0].in_stage) : 0;
          return (
            <section key={stage} class="board-column" aria-labelledby={`col-${stage}`}>
              <h2 id={`col-${stage}`}>
                {t(`newcomers.stage.${stage}`)} <span class="count">({count})</span>
              </h2>
              {list.length === 0 ? (
                <p class="small muted">{t('newcomers.board.empty')}</p>
              ) : (
                <ul>
                  {list.map((r) => (
                    <li key={r.id} class="board-card">
                      <a href={`/admin/accueil/${r.id}`}>{r.contact_name}</a>
                      <p class="small muted">
                        {t('newcomers.case.number', { number: r.number })} · {r.adviser_name ?? t('newcomers.filter.nobody')}
                        {Number(r.overdue) > 0 && <> · <strong class="overdue">{t('newcomers.board.overdue', { count: Number(r.overdue) })}</strong></>}
                      </p>
                      <MoveForm row={r} />
                    </li>
                  ))}
                </ul>
              )}
              {count > list.length && (
                <p class="small">
                  <a href={`/admin/accueil?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(queryOf(query)).filter(([, v]) => v)) as Record<string, string>), etape: stage }).toString()}`}>
                    {t('newcomers.board.more', { count: count - list.length })}
                  </a>
                </p>
              )}
            </section>
          );
        })}
      </div>
    </AdminShell>
  );
}

// ---------------------------------------------------------------------------------------------- the case page

function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { t, intl } = usePage();
  return (
    <ol class="timeline">
      {entries.map((e) => (
        <li key={`${e.kind}-${e.id}`} class={`timeline-${e.kind}`}>
          <p class="timeline-meta">
            <time dateTime={e.at.toISOString()}>{formatDateTime(e.at, intl)}</time>
          </p>
          {e.kind === 'application' && (
            <>
              <p>
                <strong>{t('newcomers.timeline.application')}</strong>
                {!e.signedIn && <span class="small muted"> · {t('newcomers.timeline.notSignedIn')}</span>}
              </p>
              <details>
                <summary>{t('newcomers.timeline.answers')}</summary>
                <ul class="small">
                  <li>{t('newcomers.my.household', { adults: e.payload.adults.length, children: e.payload.children.length })}</li>
                  {e.payload.adults.map((a) => (
                    <li key={`a${a.position}`}>
                      {a.firstName ?? t('newcomers.apply.adultN', { n: a.position })} : {t(`newcomers.project.${a.project}`)}
                      {a.profession ? `, ${a.profession}` : ''}
                      {a.sector ? ` (${a.sector})` : ''}
                    </li>
                  ))}
                  {e.payload.children.map((c) => (
                    <li key={`c${c.position}`}>{t('newcomers.case.child', { age: c.age, schooling: t(`newcomers.schooling.${c.schooling}`) })}</li>
                  ))}
                  <li>
                    {t('newcomers.case.timing')} : {t(`newcomers.timing.${e.payload.timing}`)}
                  </li>
                  {e.payload.targetCodes.length > 0 && (
                    <li>
                      {t('newcomers.col.villages')} : {e.payload.targetCodes.join(', ')}
                    </li>
                  )}
                  {e.payload.targetText && <li>{e.payload.targetText}</li>}
                  {e.payload.needs.length > 0 && (
                    <li>
                      {t('newcomers.case.needs')} : {e.payload.needs.map((n) => t(`newcomers.need.${n}`)).join(', ')}
                    </li>
                  )}
                  {e.payload.project && <li class="pre">{e.payload.project}</li>}
                </ul>
              </details>
            </>
          )}
          {e.kind === 'stage' && (
            <p>
              <strong>
                {e.from
                  ? t('newcomers.timeline.stage', { from: t(`newcomers.stage.${e.from}`), to: t(`newcomers.stage.${e.to}`) })
                  : t('newcomers.timeline.created')}
              </strong>
              {e.by && <span class="small muted"> · {t('newcomers.timeline.by', { name: e.by })}</span>}
              {(e.reasonKey || e.reasonLabel) && (
                <>
                  <br />
                  {t('newcomers.drop.reason')} : {e.reasonLabel ?? t(`newcomers.dropReason.${e.reasonKey}`)}
                </>
              )}
              {e.comment && (
                <>
                  <br />
                  <span class="pre">{e.comment}</span>
                </>
              )}
            </p>
          )}
          {e.kind === 'note' && (
            <>
              <p>
                <strong>{t('newcomers.timeline.note')}</strong>
                {e.by && <span class="small muted"> · {e.by}</span>}
              </p>
              <p class="pre">{e.body}</p>
            </>
          )}
          {e.kind === 'message' && (
            <>
              <p>
                <strong>{e.fromStaff ? t('newcomers.timeline.messageStaff') : t('newcomers.timeline.messageHousehold')}</strong>
                {e.by && <span class="small muted"> · {e.by}</span>}
              </p>
              <p class="pre">{e.body}</p>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The case page's forms by name; the rooms' sections read theirs (stays, buddy, followUp, partners, documents...). */
export type CaseForms = PageForms;

function StageSection({ file, form = {}, communeChoices }: { file: CaseFile; form?: FormState; communeChoices: { insee: string; name: string }[] }) {
  const { t, intl } = usePage();
  const c = file.case;
  const errors = form.errors ?? {};
  const simple = file.transitions.filter((n) => !TRANSITIONS_WITH_INPUT.includes(n));
  const action = `/admin/accueil/${c.id}/etape`;
  const targetSet = new Set(file.targets.map((x) => x.insee));
  return (
    <section class="card" aria-labelledby="etape" id="etape-section">
      <h2 id="etape">{t('newcomers.case.stageTitle')}</h2>
      <p>
        <StageBadge stage={c.stage} /> {c.stage === 'en_pause' && c.paused_from && <span class="small">{t('newcomers.case.pausedFrom', { stage: t(`newcomers.stage.${c.paused_from}`) })}</span>}
      </p>
      {c.stage === 'abandon' && (
        <p>
          {t('newcomers.drop.reason')} : {c.drop_reason_label ?? t(`newcomers.dropReason.${c.drop_reason_key}`)}
          {c.drop_comment ? ` · ${c.drop_comment}` : ''}
        </p>
      )}
      {file.settledName && c.settled_on && <p>{t('newcomers.case.settled', { commune: file.settledName, date: formatDay(c.settled_on, intl) })}</p>}
      <ErrorSummary errors={errors} />
      {simple.length > 0 && (
        <Form action={action} class="stage-form">
          <input type="hidden" name="expected" value={c.stage} />
          <TextArea name="comment" label={t('newcomers.case.stageComment')} values={form.values} errors={errors} maxLength={1000} rows={2} />
          <div class="actions">
            {simple.map((n) => (
              <Button key={n} variant={n === 'pause' ? 'secondary' : 'primary'} name="transition" value={n}>
                {t(`newcomers.transition.${n}`)}
              </Button>
            ))}
          </div>
        </Form>
      )}
      {file.transitions.includes('settle') && (
        <Form action={action} class="stage-form">
          <h3>{t('newcomers.transition.settle')}</h3>
          <input type="hidden" name="transition" value="settle" />
          <input type="hidden" name="expected" value={c.stage} />
          <Select
            name="settledInsee"
            label={t('newcomers.settle.commune')}
            values={form.values ?? (file.targets.length === 1 ? { settledInsee: file.targets[0].insee } : {})}
            errors={errors}
            required
            options={[
              { value: '', label: t('newcomers.apply.choose') },
              ...file.targets.map((x) => ({ value: x.insee, label: `${x.name} (${t('newcomers.settle.targeted')})` })),
              ...communeChoices.filter((x) => !targetSet.has(x.insee)).map((x) => ({ value: x.insee, label: x.name })),
            ]}
          />
          <Field name="settledOn" type="date" label={t('newcomers.settle.date')} values={form.values ?? { settledOn: file.today }} errors={errors} required />
          <Button>{t('newcomers.transition.settle')}</Button>
        </Form>
      )}
      {file.transitions.includes('drop') && (
        <Form action={action} class="stage-form">
          <h3>{t('newcomers.transition.drop')}</h3>
          <input type="hidden" name="transition" value="drop" />
          <input type="hidden" name="expected" value={c.stage} />
          <Select
            name="reasonId"
            label={t('newcomers.drop.reason')}
            values={form.values}
            errors={errors}
            required
            options={[{ value: '', label: t('newcomers.apply.choose') }, ...file.reasons.map((r) => ({ value: String(r.id), label: r.label ?? t(`newcomers.dropReason.${r.key}`) }))]}
          />
          <div class="field">
            <label for="f-drop-comment">{t('newcomers.drop.comment')}</label>
            <input id="f-drop-comment" name="comment" maxLength={1000} value={form.values?.transition === 'drop' ? (form.values.comment as string | undefined) : undefined} />
          </div>
          <Button variant="danger">{t('newcomers.transition.drop')}</Button>
        </Form>
      )}
    </section>
  );
}

/** Who the household is, what it needs and where it wants to live, as it declared. */
function HouseholdSection({ file }: { file: CaseFile }) {
  const { t, intl } = usePage();
  const c = file.case;
  return (
    <section aria-labelledby="foyer">
      <h2 id="foyer">{t('newcomers.case.household')}</h2>
      <HouseholdTables adults={file.adults} children={file.children} withChildNeeds />
      <dl class="facts">
        <div>
          <dt>{t('newcomers.apply.currentPlace')}</dt>
          <dd>{c.current_place}</dd>
        </div>
        <div>
          <dt>{t('newcomers.case.timing')}</dt>
          <dd>{t(`newcomers.timing.${c.timing}`)}</dd>
        </div>
        <div>
          <dt>{t('newcomers.case.needs')}</dt>
          <dd>{c.needs.length ? c.needs.map((n) => t(`newcomers.need.${n}`)).join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>{t('newcomers.apply.heardFrom')}</dt>
          <dd>{c.heard_from ? t(`newcomers.heard.${c.heard_from}`) : '—'}</dd>
        </div>
        <TargetVillagesFact targets={file.targets} text={c.target_text} />
        <div>
          <dt>{t('newcomers.case.consents')}</dt>
          <dd>
            {t('newcomers.case.consentContact', { date: formatDate(c.consent_contact_at, intl) })}
            <br />
            {c.consent_share && c.consent_share_at ? t('newcomers.case.consentShareYes', { date: formatDate(c.consent_share_at, intl) }) : t('newcomers.case.consentShareNo')}
          </dd>
        </div>
      </dl>
      {c.project_text && (
        <>
          <h3>{t('newcomers.apply.projectText')}</h3>
          <p class="pre">{c.project_text}</p>
        </>
      )}
    </section>
  );
}

/** Who follows the case: anyone of the team, or oneself in one click. */
function AdviserSection({ file, form }: { file: CaseFile; form?: FormState }) {
  const { t } = usePage();
  const c = file.case;
  const staffOptions = file.staff.map((s) => ({ value: s.id, label: s.display_name }));
  return (
    <section class="card" aria-labelledby="conseiller">
      <h2 id="conseiller">{t('newcomers.case.adviserTitle')}</h2>
      <Form action={`/admin/accueil/${c.id}/conseiller`} class="inline-fields">
        <ErrorSummary errors={form?.errors ?? {}} />
        <Select
          name="adviserId"
          label={t('newcomers.col.adviser')}
          values={form?.values ?? { adviserId: c.adviser_id ?? '' }}
          errors={form?.errors}
          options={[{ value: '', label: t('newcomers.filter.nobody') }, ...staffOptions]}
        />
        <Button variant="secondary">{t('newcomers.case.assign')}</Button>
      </Form>
      <AssignSelf caseId={c.id} />
    </section>
  );
}

/** The team's tasks on the case: open ones first (late ones marked), done ones folded, the form to add one. */
function TasksSection({ file, form }: { file: CaseFile; form?: FormState }) {
  const { t, intl } = usePage();
  const c = file.case;
  const staffOptions = file.staff.map((s) => ({ value: s.id, label: s.display_name }));
  const openTasks = file.tasks.filter((x) => !x.done_at);
  const doneTasks = file.tasks.filter((x) => x.done_at);
  return (
    <section aria-labelledby="taches-titre" id="taches">
      <h2 id="taches-titre">{t('newcomers.tasks.title')}</h2>
      {openTasks.length === 0 && <p>{t('newcomers.tasks.none')}</p>}
      <ul class="tasks">
        {openTasks.map((task) => (
          <li key={task.id} class={task.due_on < file.today ? 'task overdue' : 'task'}>
            <span>
              <strong>{task.title}</strong> · {t('newcomers.tasks.due', { date: formatDay(task.due_on, intl) })} · {task.assignee_name ?? '—'}
              <TaskTagLabel tags={file.funderTags} taskId={task.id} />
              {task.due_on < file.today && <strong class="overdue"> · {t('newcomers.tasks.late')}</strong>}
            </span>
            <Form action={`/admin/accueil/${c.id}/taches/${task.id}/fait`} class="inline-form">
              <button type="submit" class="button button-secondary">
                {t('newcomers.tasks.markDone')} <span class="visually-hidden">{t('newcomers.tasks.markDoneLabel', { title: task.title })}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
      {doneTasks.length > 0 && (
        <details>
          <summary>{t('newcomers.tasks.doneCount', { count: doneTasks.length })}</summary>
          <ul>
            {doneTasks.map((task) => (
              <li key={task.id}>
                {task.title} · {formatDate(task.done_at!, intl)}
              </li>
            ))}
          </ul>
        </details>
      )}
      <h3>{t('newcomers.tasks.add')}</h3>
      <Form action={`/admin/accueil/${c.id}/taches`}>
        <ErrorSummary errors={form?.errors ?? {}} />
        <Field name="title" label={t('newcomers.tasks.taskTitle')} values={form?.values} errors={form?.errors} required maxLength={200} />
        <Field name="dueOn" type="date" label={t('newcomers.tasks.dueOn')} hint={t('newcomers.tasks.dueHint')} values={form?.values} errors={form?.errors} required />
        <Select name="assigneeId" label={t('newcomers.tasks.assignee')} values={form?.values} errors={form?.errors} options={[{ value: '', label: t('newcomers.filter.me') }, ...staffOptions]} />
        <TaskTagField tags={file.funderTags} values={form?.values} errors={form?.errors} />
        <Button variant="secondary">{t('newcomers.tasks.add')}</Button>
      </Form>
    </section>
  );
}

/** The household's checklist, ticked by the team. */
function ChecklistSection({ file, form }: { file: CaseFile; form?: FormState }) {
  const { t } = usePage();
  const c = file.case;
  return (
    <section aria-labelledby="liste">
      <h2 id="liste">{t('newcomers.checklist.title')}</h2>
      <p class="hint">{t('newcomers.checklist.staffHint')}</p>
      <ul class="checklist">
        {file.checklist.map((i) => (
          <li key={i.id} class={i.done_at ? 'done' : undefined}>
            <Form action={`/admin/accueil/${c.id}/liste/${i.id}`} class="inline-form">
              <input type="hidden" name="done" value={i.done_at ? '0' : '1'} />
              <button type="submit" class="button button-secondary" aria-pressed={i.done_at ? 'true' : 'false'}>
                <span class="checklist-state">{i.done_at ? t('newcomers.checklist.done') : t('newcomers.checklist.todo')}</span> <ChecklistLabel item={i} />
              </button>
            </Form>
          </li>
        ))}
      </ul>
      <Form action={`/admin/accueil/${c.id}/liste`} class="inline-fields">
        <ErrorSummary errors={form?.errors ?? {}} />
        <Field name="label" label={t('newcomers.checklist.add')} values={form?.values} errors={form?.errors} required maxLength={200} />
        <Button variant="secondary">{t('newcomers.checklist.addButton')}</Button>
      </Form>
    </section>
  );
}

/** The thread between the team and the household. */
function MessagesSection({ file, form }: { file: CaseFile; form?: FormState }) {
  const { t } = usePage();
  const c = file.case;
  return (
    <section aria-labelledby="messages-titre" id="messages">
      <h2 id="messages-titre">{t('newcomers.messages.title')}</h2>
      <MessageThread messages={file.messages} viewer="staff" />
      <Form action={`/admin/accueil/${c.id}/messages`} scope="message">
        <ErrorSummary errors={form?.errors ?? {}} />
        <TextArea name="body" label={t('newcomers.messages.writeToHousehold')} hint={t('newcomers.messages.writeHint')} values={form?.values} errors={form?.errors} required maxLength={4000} rows={4} />
        <Button>{t('newcomers.messages.send')}</Button>
      </Form>
    </section>
  );
}

/** The team's private note form (notes show in the timeline). */
function NoteSection({ file, form }: { file: CaseFile; form?: FormState }) {
  const { t } = usePage();
  const c = file.case;
  return (
    <section aria-labelledby="note">
      <h2 id="note">{t('newcomers.notes.title')}</h2>
      <Form action={`/admin/accueil/${c.id}/notes`} scope="note">
        <ErrorSummary errors={form?.errors ?? {}} />
        <TextArea name="body" label={t('newcomers.notes.write')} hint={t('newcomers.notes.hint')} values={form?.values} errors={form?.errors} required maxLength={4000} rows={3} />
        <Button variant="secondary">{t('newcomers.notes.add')}</Button>
      </Form>
    </section>
  );
}

/** Applications, stage changes, notes and messages, newest first. */
function TimelineSection({ file }: { file: CaseFile }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="chronologie">
      <h2 id="chronologie">{t('newcomers.timeline.title')}</h2>
      <Timeline entries={file.timeline} />
    </section>
  );
}

/**
 * The core's sections of the case page, by order; the rooms' sections (stays 70, partners 90, buddies 100,
 * follow-ups 110, records 120, offers 130) come in between, each rendered from the data it loaded.
 */
/** The timeline's place among the sections: it and what follows go to the history column. */
const TIMELINE_ORDER = 150;

const CORE_SECTIONS: { order: number; render: (file: CaseFile, forms: CaseForms) => VNode }[] = [
  { order: 10, render: (file, forms) => <StageSection file={file} form={forms.stage} communeChoices={file.communeChoices} /> },
  { order: 20, render: (file, forms) => <CaseTagsSection caseId={file.case.id} tags={file.funderTags} form={forms.tags} /> },
  { order: 30, render: (file) => <HouseholdSection file={file} /> },
  { order: 40, render: (file, forms) => <AdviserSection file={file} form={forms.assign} /> },
  { order: 50, render: (file, forms) => <TasksSection file={file} form={forms.task} /> },
  { order: 60, render: (file, forms) => <ChecklistSection file={file} form={forms.checklist} /> },
  { order: 80, render: (file, forms) => <MessagesSection file={file} form={forms.message} /> },
  { order: 140, render: (file, forms) => <NoteSection file={file} form={forms.note} /> },
  { order: 150, render: (file) => <TimelineSection file={file} /> },
];

/**
 * What an adviser needs first, above the fold: who the household is (adults and their projects, children), where
 * and what it looks for, its consents, the open tasks and the last message. Details follow in the sections.
 */
function CaseGlance({ file }: { file: CaseFile }) {
  const { t, intl } = usePage();
  const c = file.case;
  const openTasks = file.tasks.filter((x) => !x.done_at).sort((a, b) => a.due_on.localeCompare(b.due_on));
  const last = file.messages.reduce<(typeof file.messages)[number] | undefined>((m, x) => (!m || x.created_at > m.created_at ? x : m), undefined);
  const adults = file.adults.map((a) => [a.first_name, t(`newcomers.project.${a.project}`)].filter(Boolean).join(' · '));
  return (
    <section class="case-glance card" aria-labelledby="apercu">
      <h2 id="apercu">{t('newcomers.glance.title')}</h2>
      <dl class="facts">
        <div class="wide">
          <dt>{t('newcomers.glance.adults')}</dt>
          <dd>{adults.length ? adults.join(' ; ') : '—'}</dd>
        </div>
        <div>
          <dt>{t('newcomers.glance.children')}</dt>
          <dd>{file.children.length ? t('newcomers.glance.childrenAges', { count: file.children.length, ages: file.children.map((x) => x.age).join(', ') }) : '—'}</dd>
        </div>
        <TargetVillagesFact targets={file.targets} text={c.target_text} />
        <div>
          <dt>{t('newcomers.case.consents')}</dt>
          <dd>{c.consent_share ? t('newcomers.glance.shareYes') : t('newcomers.glance.shareNo')}</dd>
        </div>
        <div class="wide">
          <dt>{t('newcomers.case.needs')}</dt>
          <dd>{c.needs.length ? c.needs.map((n) => t(`newcomers.need.${n}`)).join(', ') : '—'}</dd>
        </div>
        <div class="wide">
          <dt>{t('newcomers.glance.openTasks')}</dt>
          <dd>
            {openTasks.length ? (
              <ul class="plain-list">
                {openTasks.slice(0, 3).map((task) => (
                  <li key={task.id} class={task.due_on < file.today ? 'overdue' : undefined}>
                    {task.title} · {t('newcomers.tasks.due', { date: formatDay(task.due_on, intl) })}
                  </li>
                ))}
                {openTasks.length > 3 && (
                  <li>
                    <a href="#taches">{t('newcomers.glance.moreTasks', { count: openTasks.length - 3 })}</a>
                  </li>
                )}
              </ul>
            ) : (
              t('newcomers.tasks.none')
            )}
          </dd>
        </div>
        <div class="wide">
          <dt>{t('newcomers.glance.lastMessage')}</dt>
          <dd>
            {last ? (
              <>
                <span class="small muted">
                  {t(last.from_staff ? 'newcomers.glance.fromTeam' : 'newcomers.glance.fromHousehold', { date: formatDate(last.created_at, intl) })}
                </span>{' '}
                <a href="#messages">{last.body.length > 140 ? `${last.body.slice(0, 140)}…` : last.body}</a>
              </>
            ) : (
              '—'
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}

export function CaseFileView({ file, forms = {} }: { file: CaseFile; forms?: CaseForms }) {
  const { t, intl } = usePage();
  const c = file.case;
  const title = t('newcomers.case.title', { number: c.number, name: c.contact_name });
  const sections = [
    ...CORE_SECTIONS.map((s) => ({ order: s.order, node: s.render(file, forms) })),
    ...file.sections.map((s) => ({ order: s.section.order, node: s.section.render(s.data, forms) })),
  ].sort((a, b) => a.order - b.order);
  return (
    <AdminShell title={title}>
      <p class="small">
        <a href="/admin/accueil">{t('newcomers.staff.backToList')}</a>
      </p>
      <h1 class="case-title">{title}</h1>
      <div class="case-layout">
      <div class="case-primary">
      <dl class="case-summary">
        <div>
          <dt>{t('newcomers.col.stage')}</dt>
          <dd>
            <StageBadge stage={c.stage} /> <span class="small muted">{t('newcomers.case.since', { date: formatDate(c.stage_changed_at, intl) })}</span>
          </dd>
        </div>
        <div>
          <dt>{t('newcomers.col.adviser')}</dt>
          <dd>{c.adviser_name ?? t('newcomers.filter.nobody')}</dd>
        </div>
        <div>
          <dt>{t('newcomers.case.contact')}</dt>
          <dd>
            <a href={`mailto:${c.contact_email}`}>{c.contact_email}</a>
            {c.phone && <> · {c.phone}</>}
          </dd>
        </div>
        <div>
          <dt>{t('newcomers.case.createdAt')}</dt>
          <dd>{formatDate(c.created_at, intl)}</dd>
        </div>
      </dl>
      <CaseGlance file={file} />
      {sections.filter((s) => s.order < TIMELINE_ORDER).map((s) => s.node)}
      </div>
      {/* On wide screens the history sits beside the summary and the actions; on phones it comes last. */}
      <div class="case-history">{sections.filter((s) => s.order >= TIMELINE_ORDER).map((s) => s.node)}</div>
      </div>
    </AdminShell>
  );
}

function AssignSelf({ caseId }: { caseId: string }) {
  const { t, csrfToken } = usePage();
  return (
    <form method="post" action={`/admin/accueil/${caseId}/conseiller`} class="inline-form">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="adviserId" value="moi" />
      <button type="submit" class="button button-primary">
        {t('newcomers.case.assignSelf')}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------- drop reasons

export function DropReasonsView({ reasons, add = {} }: { reasons: { id: number; key: string | null; label: string | null; archived_at: Date | null }[]; add?: FormState }) {
  const { t } = usePage();
  return (
    <AdminShell title={t('newcomers.reasons.title')}>
      <h1>{t('newcomers.reasons.title')}</h1>
      <SubNav current="reasons" />
      <p>{t('newcomers.reasons.lead')}</p>
      <LabelListEditor
        rows={reasons.map((r) => ({ id: r.id, name: r.label ?? t(`newcomers.dropReason.${r.key}`), archived: !!r.archived_at }))}
        action="/admin/accueil/motifs"
        keys="newcomers.reasons"
        maxLength={120}
        add={add}
      />
    </AdminShell>
  );
}
