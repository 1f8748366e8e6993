/** The admins' reminder settings and the member's renewal page. */
import { formatDay } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { MemberStatus } from '../members.common.js';
import { MemberNumber, StatusBadge, useEuros } from '../members.components.views.js';
import type { MemberRow } from '../members.service.js';
import type { Plan } from '../plans/index.js';

export function ReminderSettingsView({ values, errors }: { values: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <AdminShell title={t('members.reminders.title')}>
      <p class="small">
        <a href="/admin/adherents">{t('members.staff.back')}</a>
      </p>
      <h1>{t('members.reminders.title')}</h1>
      <p>{t('members.reminders.lead')}</p>
      <Form action="/admin/adherents/relances">
        <ErrorSummary errors={errors ?? {}} />
        <Field name="offsets" label={t('members.reminders.offsets')} hint={t('members.reminders.offsetsHint')} values={values} errors={errors} required maxLength={60} />
        <Button>{t('members.reminders.save')}</Button>
      </Form>
    </AdminShell>
  );
}

export function RenewView({
  member,
  status,
  plans,
  values,
  errors,
}: {
  member: MemberRow | null;
  status: MemberStatus | null;
  plans: Plan[];
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const { t, intl } = usePage();
  const euros = useEuros();
  return (
    <Layout title={t('members.renew.title')} narrow>
      <h1>{t('members.renew.title')}</h1>
      {!member || !status ? (
        <p>
          {t('members.my.none')} <a href="/adherer">{t('members.join.title')}</a>
        </p>
      ) : (
        <>
          <p>
            <MemberNumber n={member.number} /> · <StatusBadge status={status} />
            {member.valid_until && <> · {t('members.my.validUntil', { date: formatDay(member.valid_until, intl) })}</>}
          </p>
          {member.renewal_requested_at && <p class="alert">{t('members.renew.requested')}</p>}
          {member.state === 'approved' ? (
            <Form action="/adherer/renouveler">
              <ErrorSummary errors={errors ?? {}} />
              <Select
                name="planId"
                label={t('members.join.plan')}
                values={values ?? { planId: String(member.plan_id) }}
                errors={errors}
                required
                options={plans.map((p) => ({ value: String(p.id), label: t('members.join.planOption', { name: p.name, price: euros(p.price_cents), period: t(`members.plans.period.${p.period}`) }) }))}
              />
              <p class="hint">{t('members.renew.howToPay')}</p>
              <Button>{t('members.renew.submit')}</Button>
            </Form>
          ) : (
            <p>{t('members.renew.notApproved')}</p>
          )}
        </>
      )}
    </Layout>
  );
}
