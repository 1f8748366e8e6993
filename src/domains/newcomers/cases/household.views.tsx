/** /mon-projet: the household's own case, in plain words, with its checklist and the thread with the team. */
import { formatDateTime } from '../../../shared/time.js';
import type { VNode } from 'preact';
import { Button, ErrorSummary, Form, TextArea } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { FormState, PageForms } from './cases.extensions.js';
import type { MyCase } from './cases.service.js';

export function ChecklistLabel({ item }: { item: { key: string | null; label: string | null } }) {
  const { t } = usePage();
  return <>{item.label ?? t(`newcomers.checklist.${item.key}`)}</>;
}

export function MessageThread({ messages, viewer }: { messages: MyCase['messages']; viewer: 'staff' | 'household' }) {
  const { t, intl } = usePage();
  if (!messages.length) return <p>{t('newcomers.messages.none')}</p>;
  return (
    <ol class="thread">
      {messages.map((m) => {
        const mine = viewer === 'staff' ? m.from_staff : !m.from_staff;
        const author = m.from_staff
          ? t('newcomers.messages.fromStaff', { name: m.author_name ?? t('newcomers.messages.team') })
          : viewer === 'household'
            ? t('newcomers.messages.you')
            : t('newcomers.messages.fromHousehold', { name: m.author_name ?? '' });
        return (
          <li key={m.id} class={mine ? 'message message-mine' : 'message'}>
            <p class="message-meta">
              <strong>{author}</strong> · <time dateTime={m.created_at.toISOString()}>{formatDateTime(m.created_at, intl)}</time>
            </p>
            <p class="message-body">{m.body}</p>
          </li>
        );
      })}
    </ol>
  );
}

/** Where the case stands, in the household's words. */
function WhereSection({ data }: { data: MyCase }) {
  const { t } = usePage();
  const c = data.case;
  return (
    <section class="card" aria-labelledby="ou-en-est">
      <h2 id="ou-en-est">{t('newcomers.my.where')}</h2>
      <p class="small muted">{t('newcomers.case.number', { number: c.number })}</p>
      <p>
        <span class={`stage stage-${c.stage}`}>{t(`newcomers.stage.${c.stage}`)}</span>
      </p>
      <p>{t(`newcomers.stageForHousehold.${c.stage}`)}</p>
      {data.settledName && c.settled_on && <p>{t('newcomers.my.settledIn', { commune: data.settledName })}</p>}
      <p>{c.adviser_name ? t('newcomers.my.adviser', { name: c.adviser_name }) : t('newcomers.my.noAdviser')}</p>
    </section>
  );
}

/** The household's checklist, as the team ticks it. */
function MyChecklistSection({ data }: { data: MyCase }) {
  const { t } = usePage();
  const done = data.checklist.filter((i) => i.done_at).length;
  return (
    <section aria-labelledby="liste">
      <h2 id="liste">{t('newcomers.checklist.title')}</h2>
      <p>{t('newcomers.my.checklistLead', { done, total: data.checklist.length })}</p>
      <ul class="checklist">
        {data.checklist.map((i) => (
          <li key={i.id} class={i.done_at ? 'done' : undefined}>
            <span class="checklist-state">{i.done_at ? t('newcomers.checklist.done') : t('newcomers.checklist.todo')}</span> <ChecklistLabel item={i} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The thread with the team, and the form to write to it. */
function MyMessagesSection({ data, message = {} }: { data: MyCase; message?: FormState }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="messages-titre" id="messages">
      <h2 id="messages-titre">{t('newcomers.messages.title')}</h2>
      <MessageThread messages={data.messages} viewer="household" />
      <Form action="/mon-projet/messages">
        <ErrorSummary errors={message.errors ?? {}} />
        <TextArea name="body" label={t('newcomers.messages.write')} values={message.values} errors={message.errors} required maxLength={4000} rows={4} />
        <Button>{t('newcomers.messages.send')}</Button>
      </Form>
    </section>
  );
}

/** What the household declared, and the link to change it. */
function MyApplicationSection({ data }: { data: MyCase }) {
  const { t } = usePage();
  return (
    <section aria-labelledby="candidature">
      <h2 id="candidature">{t('newcomers.my.application')}</h2>
      <p>{t('newcomers.my.household', { adults: data.adults.length, children: data.children.length })}</p>
      <ul>
        {data.adults.map((a) => (
          <li key={a.position}>
            {a.first_name ?? t('newcomers.apply.adultN', { n: a.position })} : {t(`newcomers.project.${a.project}`)}
            {a.profession ? ` (${a.profession})` : ''}
          </li>
        ))}
      </ul>
      {data.targets.length > 0 && (
        <>
          <p>{t('newcomers.my.villages')}</p>
          <ul>
            {data.targets.map((v) => (
              <li key={v.insee}>
                <a href={`/villages/${v.insee}`}>{v.name}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <a href="/candidature">{t('newcomers.my.update')}</a>
      </p>
    </section>
  );
}

/** The household's data, to download. */
function MyDataSection() {
  const { t } = usePage();
  return (
    <section aria-labelledby="donnees">
      <h2 id="donnees">{t('newcomers.my.data')}</h2>
      <p>{t('newcomers.my.dataLead')}</p>
      <p>
        <a href="/mon-projet/donnees.json" download="mes-donnees.json">
          {t('newcomers.my.download')}
        </a>
      </p>
    </section>
  );
}

/**
 * The core's sections of /mon-projet, by order; the rooms' sections (buddy 20, follow-ups 30, stays 60, records
 * 70, offers 80) come in between, each rendered from the data it loaded.
 */
const CORE_SECTIONS: { order: number; render: (data: MyCase, forms: PageForms) => VNode }[] = [
  { order: 10, render: (data) => <WhereSection data={data} /> },
  { order: 40, render: (data) => <MyChecklistSection data={data} /> },
  { order: 50, render: (data, forms) => <MyMessagesSection data={data} message={forms.message} /> },
  { order: 90, render: (data) => <MyApplicationSection data={data} /> },
  { order: 100, render: () => <MyDataSection /> },
];

export function MyProjectView({ data, forms = {} }: { data: MyCase | null; forms?: PageForms }) {
  const { t } = usePage();
  if (!data) {
    return (
      <Layout title={t('newcomers.my.title')} narrow>
        <h1>{t('newcomers.my.title')}</h1>
        <p class="lead">{t('newcomers.my.none')}</p>
        <p>
          <a class="button button-primary" href="/candidature">
            {t('newcomers.my.applyNow')}
          </a>
        </p>
      </Layout>
    );
  }
  const sections = [
    ...CORE_SECTIONS.map((s) => ({ order: s.order, node: s.render(data, forms) })),
    ...data.sections.map((s) => ({ order: s.section.order, node: s.section.render(s.data, forms) })),
  ].sort((a, b) => a.order - b.order);
  return (
    <Layout title={t('newcomers.my.title')}>
      <div class="my-project">
        <h1>{t('newcomers.my.title')}</h1>
        {sections.map((s) => s.node)}
      </div>
    </Layout>
  );
}
