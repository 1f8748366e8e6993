/** Follow-up check-ins: the staff case page's "Suivi" section and the household's form on /mon-projet#suivi. */
import { formatDateTime, formatDay } from '../../../shared/time.js';
import { Button, ErrorSummary, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { STILL_LIVING, WORK_SITUATIONS } from './followups.schemas.js';
import type { FollowUpRow } from './followups.service.js';

/** The check-in the household can answer now: sent, or due today or earlier, and not answered; the latest first. */
const openFollowUp = (rows: FollowUpRow[], today: string) => [...rows].reverse().find((f) => !f.answered_at && (f.sent_at || f.due_on <= today));

interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}

function AnswerFields({ form }: { form: FormState }) {
  const { t } = usePage();
  const choose = { value: '', label: t('newcomers.followups.chooseOption') };
  return (
    <>
      <Select
        name="stillLiving"
        label={t('newcomers.followups.stillLiving')}
        values={form.values}
        errors={form.errors}
        required
        options={[choose, ...STILL_LIVING.map((v) => ({ value: v, label: t(`newcomers.followups.stillLiving.${v}`) }))]}
      />
      <Select
        name="satisfaction"
        label={t('newcomers.followups.satisfaction')}
        values={form.values}
        errors={form.errors}
        required
        options={[choose, ...['5', '4', '3', '2', '1'].map((v) => ({ value: v, label: t(`newcomers.followups.satisfaction.${v}`) }))]}
      />
      <Select
        name="housingSettled"
        label={t('newcomers.followups.housingSettled')}
        values={form.values}
        errors={form.errors}
        required
        options={[choose, { value: 'yes', label: t('newcomers.followups.yes') }, { value: 'no', label: t('newcomers.followups.no') }]}
      />
      <Select
        name="workSituation"
        label={t('newcomers.followups.workSituation')}
        values={form.values}
        errors={form.errors}
        required
        options={[choose, ...WORK_SITUATIONS.map((v) => ({ value: v, label: t(`newcomers.followups.work.${v}`) }))]}
      />
      <TextArea name="comment" label={t('newcomers.followups.comment')} values={form.values} errors={form.errors} maxLength={2000} rows={4} />
    </>
  );
}

function AnswerSummary({ f }: { f: FollowUpRow }) {
  const { t, intl } = usePage();
  if (!f.answered_at) return <>{t('newcomers.followups.waiting')}</>;
  return (
    <ul class="plain">
      <li>
        {t('newcomers.followups.answeredOn', { date: formatDateTime(f.answered_at, intl) })} ({t(`newcomers.followups.channel.${f.channel}`)}
        {f.channel === 'phone' && f.answered_by_name ? `, ${f.answered_by_name}` : ''})
      </li>
      <li>
        {t('newcomers.followups.stillLiving')} {t(`newcomers.followups.stillLiving.${f.still_living}`)}
      </li>
      <li>
        {t('newcomers.followups.satisfaction')} {t('newcomers.followups.outOf5', { n: f.satisfaction ?? 0 })}
      </li>
      <li>
        {t('newcomers.followups.housingSettled')} {f.housing_settled ? t('newcomers.followups.yes') : t('newcomers.followups.no')}
      </li>
      <li>
        {t('newcomers.followups.workSituation')} {t(`newcomers.followups.work.${f.work_situation}`)}
      </li>
      {f.comment && <li class="message-body">{f.comment}</li>}
    </ul>
  );
}

/** The case page's follow-up section: the three check-ins, their state and answers; an answer taken on the phone (form state under `forms.followUp`). */
export function CaseFollowUpSection({ file, forms = {} }: { file: { case: { id: string }; followUps: FollowUpRow[] }; forms?: { followUp?: FormState } }) {
  const { t, intl } = usePage();
  const caseId = file.case.id;
  const followUps = file.followUps;
  const form = forms.followUp ?? {};
  const open = followUps.filter((f) => !f.answered_at);
  return (
    <section class="card" aria-labelledby="suivi" id="suivi-section">
      <h2 id="suivi">{t('newcomers.followups.title')}</h2>
      <Table
        caption={t('newcomers.followups.caption')}
        rows={followUps}
        rowKey={(f) => f.id}
        empty={t('newcomers.followups.noneYet')}
        columns={[
          { key: 'checkIn', header: t('newcomers.followups.col.checkIn'), rowHeader: true, render: (f) => t('newcomers.followups.afterMonths', { n: f.month_offset }) },
          { key: 'due', header: t('newcomers.followups.col.due'), render: (f) => formatDay(f.due_on, intl) },
          { key: 'sent', header: t('newcomers.followups.col.sent'), render: (f) => (f.sent_at ? formatDateTime(f.sent_at, intl) : t('newcomers.followups.notSent')) },
          { key: 'answer', header: t('newcomers.followups.col.answer'), render: (f) => <AnswerSummary f={f} /> },
        ]}
      />
      {open.length > 0 && (
        <details open={!!form.errors}>
          <summary>{t('newcomers.followups.byPhone')}</summary>
          <Form action={`/admin/accueil/${caseId}/suivi`}>
            <ErrorSummary errors={form.errors ?? {}} />
            <Select
              name="followUpId"
              label={t('newcomers.followups.which')}
              values={form.values}
              errors={form.errors}
              required
              options={open.map((f) => ({ value: String(f.id), label: `${t('newcomers.followups.afterMonths', { n: f.month_offset })} (${formatDay(f.due_on, intl)})` }))}
            />
            <AnswerFields form={form} />
            <Button>{t('newcomers.followups.record')}</Button>
          </Form>
        </details>
      )}
    </section>
  );
}

/** /mon-projet#suivi: the household answers the check-in that is open, and sees the others' dates. */
export function MyFollowUpSection({ followUps, today, form = {} }: { followUps: FollowUpRow[]; today: string; form?: FormState }) {
  const { t, intl } = usePage();
  if (!followUps.length) return null;
  const current = openFollowUp(followUps, today);
  return (
    <section aria-labelledby="suivi" id="suivi-section">
      <h2 id="suivi">{t('newcomers.followups.myTitle')}</h2>
      {current ? (
        <>
          <p>{t('newcomers.followups.myLead', { n: current.month_offset })}</p>
          <Form action="/mon-projet/suivi">
            <ErrorSummary errors={form.errors ?? {}} />
            <input type="hidden" name="followUpId" value={String(current.id)} />
            <AnswerFields form={form} />
            <Button>{t('newcomers.followups.send')}</Button>
          </Form>
        </>
      ) : (
        <p>{t('newcomers.followups.myNothingOpen')}</p>
      )}
      <ul>
        {followUps.map((f) => (
          <li key={f.id}>
            {t('newcomers.followups.afterMonths', { n: f.month_offset })} :{' '}
            {f.answered_at ? t('newcomers.followups.myAnswered', { date: formatDateTime(f.answered_at, intl) }) : t('newcomers.followups.myPlanned', { date: formatDay(f.due_on, intl) })}
          </li>
        ))}
      </ul>
    </section>
  );
}
