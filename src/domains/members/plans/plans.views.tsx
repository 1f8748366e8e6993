/** The admins' plans page: the list and the form to add or change a plan. */
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { useEuros } from '../members.components.views.js';
import type { Plan } from './plans.service.js';
import { PLAN_PERIODS } from './plans.schemas.js';

function PlanFields({ values, errors }: { values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <>
      <Field name="name" label={t('members.plans.name')} values={values} errors={errors} required maxLength={80} />
      <Field name="price" label={t('members.plans.price')} hint={t('members.plans.priceHint')} values={values} errors={errors} required inputMode="decimal" maxLength={12} />
      <Select
        name="period"
        label={t('members.plans.period')}
        values={values}
        errors={errors}
        required
        options={[{ value: '', label: t('members.form.choose') }, ...PLAN_PERIODS.map((p) => ({ value: p, label: t(`members.plans.period.${p}`) }))]}
      />
      <Checkbox name="needsApproval" label={t('members.plans.needsApproval')} values={values} errors={errors} />
      <Checkbox name="archived" label={t('members.plans.archived')} values={values} errors={errors} />
    </>
  );
}

export function PlansView({ plans, values, errors }: { plans: Plan[]; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const euros = useEuros();
  return (
    <AdminShell title={t('members.plans.title')}>
      <p class="small">
        <a href="/admin/adherents">{t('members.staff.back')}</a>
      </p>
      <h1>{t('members.plans.title')}</h1>
      <p>{t('members.plans.lead')}</p>
      <Table
        caption={t('members.plans.title')}
        captionHidden
        rows={plans}
        rowKey={(p) => p.id}
        empty={t('members.plans.empty')}
        columns={[
          { key: 'name', header: t('members.plans.name'), rowHeader: true, render: (p) => <a href={`/admin/adherents/formules/${p.id}`}>{p.name}</a> },
          { key: 'price', header: t('members.plans.price'), align: 'end', render: (p) => euros(p.price_cents) },
          { key: 'period', header: t('members.plans.period'), render: (p) => t(`members.plans.period.${p.period}`) },
          { key: 'approval', header: t('members.plans.approval'), render: (p) => t(p.needs_approval ? 'members.yes' : 'members.no') },
          { key: 'state', header: t('members.plans.state'), render: (p) => t(p.archived_at ? 'members.plans.state.archived' : 'members.plans.state.active') },
        ]}
      />
      <section aria-labelledby="nouvelle-formule">
        <h2 id="nouvelle-formule">{t('members.plans.new')}</h2>
        <Form action="/admin/adherents/formules">
          <ErrorSummary errors={errors ?? {}} />
          <PlanFields values={values ?? { needsApproval: '1' }} errors={errors} />
          <Button>{t('members.plans.create')}</Button>
        </Form>
      </section>
    </AdminShell>
  );
}

export function PlanEditView({ plan, values, errors }: { plan: Plan; values: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  return (
    <AdminShell title={plan.name}>
      <p class="small">
        <a href="/admin/adherents/formules">{t('members.plans.back')}</a>
      </p>
      <h1>{plan.name}</h1>
      <p class="hint">{t('members.plans.priceChangeNote')}</p>
      <Form action={`/admin/adherents/formules/${plan.id}`}>
        <ErrorSummary errors={errors ?? {}} />
        <PlanFields values={values} errors={errors} />
        <Button>{t('members.plans.save')}</Button>
      </Form>
    </AdminShell>
  );
}
