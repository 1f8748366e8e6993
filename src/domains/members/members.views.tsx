/**
 * The team's members list and member page (/admin/adherents), and the member's own page (/compte/adhesion). The
 * member page holds the rooms' forms: decision, payment, strike-off; each comes back with its errors.
 */
import { formatDate, formatDateTime, formatDay } from '../../shared/time.js';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, ErrorSummary, Field, FilterSelect, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../web/components/forms.js';
import { Pagination } from '../../web/components/pagination.js';
import { Table } from '../../web/components/table.js';
import { Layout } from '../../web/layout.js';
import { usePage } from '../../web/page-context.js';
import { MEMBER_STATUSES, PAYMENT_METHODS, type MemberStatus } from './members.common.js';
import { listHref, MemberNumber, ReceiptNumber, StatusBadge, useEuros } from './members.components.views.js';
import type { MemberFilterChoices, MemberListRow, MemberRow, PaymentRow } from './members.service.js';
import { filterParams, type MemberListQuery } from './members.schemas.js';
import { MemberNotes, type MemberNote } from './notes/index.js';

export interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}

export interface MemberPageForms {
  decision?: FormState;
  payment?: FormState;
  strikeOff?: FormState;
}

export function StaffListView({ rows, total, page, pages, choices, query }: { rows: MemberListRow[]; total: number; page: number; pages: number; choices: MemberFilterChoices; query: MemberListQuery }) {
  const { t, intl, roles } = usePage();
  return (
    <AdminShell title={t('members.staff.title')}>
      <h1>{t('members.staff.title')}</h1>
      <p>
        <a href="/admin/adherents/import">{t('members.import.link')}</a>
        {' · '}
        <a href="/admin/adherents/chiffres">{t('members.figures.title')}</a>
        {roles.has('admin') && (
          <>
            {' · '}
            <a href="/admin/adherents/formules">{t('members.plans.title')}</a> · <a href="/admin/adherents/relances">{t('members.reminders.title')}</a>
          </>
        )}
      </p>
      <form method="get" action="/admin/adherents" class="filters">
        <FilterSelect name="statut" label={t('members.staff.filterStatus')} all={t('members.staff.allStatuses')} current={query.statut} options={MEMBER_STATUSES.map((s) => ({ value: s, label: t(`members.status.${s}`) }))} />
        <FilterSelect name="formule" label={t('members.staff.filterPlan')} all={t('members.staff.allPlans')} current={query.formule?.toString()} options={choices.plans.map((p) => ({ value: String(p.id), label: p.name }))} />
        <FilterSelect name="commune" label={t('members.staff.commune')} all={t('members.staff.allCommunes')} current={query.commune} options={choices.communes.map((c) => ({ value: c.insee, label: c.name }))} />
        <FilterSelect name="epci" label={t('members.staff.filterEpci')} all={t('members.staff.allEpcis')} current={query.epci} options={choices.epcis.map((e) => ({ value: e.siren, label: e.name }))} />
        <div class="field">
          <label for="q-echeance">{t('members.staff.filterExpiry')}</label>
          <span class="hint" id="q-echeance-hint">
            {t('members.staff.filterExpiryHint')}
          </span>
          <input type="month" id="q-echeance" name="echeance" value={query.echeance ?? ''} pattern="[0-9]{4}-[0-9]{2}" placeholder="AAAA-MM" aria-describedby="q-echeance-hint" />
        </div>
        <FilterSelect name="competence" label={t('members.staff.filterSkill')} all={t('members.staff.allSkills')} current={query.competence} options={choices.skills.map((s) => ({ value: s.key, label: s.label }))} />
        <button type="submit" class="button button-secondary">
          {t('members.staff.filter')}
        </button>
      </form>
      <p role="status">{t('members.staff.count', { count: total })}</p>
      <p class="actions">
        <a class="button button-secondary" href={listHref('/admin/adherents.csv', query)}>
          {t('members.staff.csv')}
        </a>
        <a class="button button-secondary" href={listHref('/admin/adherents/courriel', query)}>
          {t('members.groupMail.link')}
        </a>
      </p>
      <Table
        caption={t('members.staff.title')}
        captionHidden
        rows={rows}
        rowKey={(r) => r.id}
        empty={t('members.staff.empty')}
        columns={[
          { key: 'name', header: t('members.staff.name'), rowHeader: true, render: (r) => <a href={`/admin/adherents/${r.id}`}>{`${r.last_name} ${r.first_name}`}</a> },
          { key: 'number', header: t('members.staff.number'), render: (r) => <MemberNumber n={r.number} /> },
          { key: 'status', header: t('members.staff.status'), render: (r) => <StatusBadge status={r.status} /> },
          { key: 'plan', header: t('members.staff.plan'), render: (r) => r.plan_name },
          { key: 'commune', header: t('members.staff.commune'), render: (r) => (r.outside_territory ? t('members.join.outsideShort') : r.commune_name) },
          { key: 'until', header: t('members.staff.validUntil'), render: (r) => (r.valid_until ? formatDay(r.valid_until, intl) : '—') },
        ]}
      />
      <Pagination page={page} pages={pages} baseQuery={filterParams(query)} />
      <p class="small">
        <a href="/api/v1/admin/adherents">{t('members.staff.apiLink')}</a>
      </p>
    </AdminShell>
  );
}

function Facts({ member, status }: { member: MemberRow; status: MemberStatus }) {
  const { t, intl } = usePage();
  return (
    <dl class="facts">
      <div>
        <dt>{t('members.staff.number')}</dt>
        <dd>
          <MemberNumber n={member.number} />
        </dd>
      </div>
      <div>
        <dt>{t('members.staff.status')}</dt>
        <dd>
          <StatusBadge status={status} />
        </dd>
      </div>
      <div>
        <dt>{t('members.staff.plan')}</dt>
        <dd>{member.plan_name}</dd>
      </div>
      <div>
        <dt>{t('members.staff.validUntil')}</dt>
        <dd>{member.valid_until ? formatDay(member.valid_until, intl) : '—'}</dd>
      </div>
      {member.email && (
        <div>
          <dt>{t('members.join.email')}</dt>
          <dd>
            <a href={`mailto:${member.email}`}>{member.email}</a>
          </dd>
        </div>
      )}
      {member.phone && (
        <div>
          <dt>{t('members.join.phone')}</dt>
          <dd>{member.phone}</dd>
        </div>
      )}
      {member.activity && (
        <div>
          <dt>{t('members.join.activity')}</dt>
          <dd>{member.activity}</dd>
        </div>
      )}
      <div>
        <dt>{t('members.join.commune')}</dt>
        <dd>
          {member.outside_territory ? t('members.join.outside') : member.commune_name}
          {member.newcomer_case_id && (
            <>
              {' · '}
              <a href={`/admin/accueil/${member.newcomer_case_id}`}>{t('members.staff.newcomerCase')}</a>
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('members.staff.appliedAt')}</dt>
        <dd>{formatDate(member.created_at, intl)}</dd>
      </div>
      {member.renewal_requested_at && (
        <div>
          <dt>{t('members.staff.renewalRequested')}</dt>
          <dd>{formatDate(member.renewal_requested_at, intl)}</dd>
        </div>
      )}
      {member.decision_message && (
        <div>
          <dt>{t('members.staff.decisionMessage')}</dt>
          <dd>{member.decision_message}</dd>
        </div>
      )}
      {member.struck_off_reason && (
        <div>
          <dt>{t('members.staff.struckOffReason')}</dt>
          <dd>{member.struck_off_reason}</dd>
        </div>
      )}
    </dl>
  );
}

export function PaymentsTable({ payments, receiptHref, caption }: { payments: PaymentRow[]; receiptHref: (p: PaymentRow) => string; caption: string }) {
  const { t, intl } = usePage();
  const euros = useEuros();
  return (
    <Table
      caption={caption}
      captionHidden
      rows={payments}
      rowKey={(p) => p.id}
      empty={t('members.dues.empty')}
      columns={[
        {
          key: 'receipt',
          header: t('members.dues.receipt'),
          rowHeader: true,
          render: (p) => (
            <a href={receiptHref(p)}>
              <ReceiptNumber year={p.receipt_year} seq={p.receipt_seq} />
            </a>
          ),
        },
        { key: 'paidOn', header: t('members.dues.paidOn'), render: (p) => formatDay(p.paid_on, intl) },
        { key: 'amount', header: t('members.dues.amount'), align: 'end', render: (p) => euros(p.amount_cents) },
        { key: 'method', header: t('members.dues.method'), render: (p) => t(`members.dues.method.${p.method}`) },
        { key: 'plan', header: t('members.staff.plan'), render: (p) => p.plan_name },
        { key: 'period', header: t('members.dues.period'), render: (p) => (p.starts_on && p.ends_on ? t('members.dues.periodValue', { from: formatDay(p.starts_on, intl), to: formatDay(p.ends_on, intl) }) : '—') },
      ]}
    />
  );
}

export function StaffMemberView({
  member,
  status,
  payments,
  reminders,
  paymentDefaults,
  notes = [],
  forms = {},
}: {
  member: MemberRow;
  status: MemberStatus;
  payments: PaymentRow[];
  reminders: { id: number; offset_days: number; sent_at: Date; ends_on: string }[];
  paymentDefaults: Record<string, string>;
  /** The team's notes on the record (advisers' notes after appointments among them). */
  notes?: MemberNote[];
  forms?: MemberPageForms;
}) {
  const { t, intl } = usePage();
  const name = `${member.first_name} ${member.last_name}`;
  return (
    <AdminShell title={name}>
      <p class="small">
        <a href="/admin/adherents">{t('members.staff.back')}</a>
      </p>
      <h1>{name}</h1>
      <Facts member={member} status={status} />

      {member.state === 'pending' && (
        <section class="card" aria-labelledby="decision">
          <h2 id="decision">{t('members.decision.title')}</h2>
          <Form action={`/admin/adherents/${member.id}/approuver`} scope="decision">
            <ErrorSummary errors={forms.decision?.errors ?? {}} />
            <TextArea name="message" label={t('members.decision.message')} hint={t('members.decision.messageHint')} values={forms.decision?.values} errors={forms.decision?.errors} rows={3} maxLength={2000} />
            <div class="actions">
              <Button>{t('members.decision.approve')}</Button>
              <button type="submit" class="button button-danger" formaction={`/admin/adherents/${member.id}/refuser`}>
                {t('members.decision.decline')}
              </button>
            </div>
          </Form>
        </section>
      )}

      <section aria-labelledby="cotisations" id="cotisations-section">
        <h2 id="cotisations">{t('members.dues.title')}</h2>
        <PaymentsTable payments={payments} receiptHref={(p) => `/admin/adherents/recus/${p.id}`} caption={t('members.dues.title')} />
        {member.state === 'approved' && (
          <Form action={`/admin/adherents/${member.id}/paiements`} scope="payment">
            <h3>{t('members.dues.record')}</h3>
            <ErrorSummary errors={forms.payment?.errors ?? {}} />
            <Select
              name="method"
              label={t('members.dues.method')}
              values={forms.payment?.values ?? paymentDefaults}
              errors={forms.payment?.errors}
              required
              options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`members.dues.method.${m}`) }))}
            />
            <Field name="amount" label={t('members.dues.amountEuros')} values={forms.payment?.values ?? paymentDefaults} errors={forms.payment?.errors} required inputMode="decimal" maxLength={12} />
            <Field name="paidOn" type="date" label={t('members.dues.paidOn')} values={forms.payment?.values ?? paymentDefaults} errors={forms.payment?.errors} required />
            <Field name="reference" label={t('members.dues.reference')} hint={t('members.dues.referenceHint')} values={forms.payment?.values} errors={forms.payment?.errors} maxLength={120} />
            <Field name="provider" label={t('members.dues.provider')} hint={t('members.dues.providerHint')} values={forms.payment?.values} errors={forms.payment?.errors} maxLength={60} />
            <Field name="providerReference" label={t('members.dues.providerReference')} values={forms.payment?.values} errors={forms.payment?.errors} maxLength={200} />
            <Button>{t('members.dues.submit')}</Button>
          </Form>
        )}
      </section>

      <section aria-labelledby="relances">
        <h2 id="relances">{t('members.reminders.sent')}</h2>
        <Table
          caption={t('members.reminders.sent')}
          captionHidden
          rows={reminders}
          rowKey={(r) => r.id}
          empty={t('members.reminders.none')}
          columns={[
            { key: 'at', header: t('members.reminders.sentAt'), rowHeader: true, render: (r) => formatDateTime(r.sent_at, intl) },
            { key: 'offset', header: t('members.reminders.which'), render: (r) => t(r.offset_days > 0 ? 'members.reminders.before' : r.offset_days < 0 ? 'members.reminders.after' : 'members.reminders.onDay', { days: Math.abs(r.offset_days) }) },
            { key: 'period', header: t('members.reminders.periodEnd'), render: (r) => formatDay(r.ends_on, intl) },
          ]}
        />
      </section>

      <MemberNotes notes={notes} />

      {(member.state === 'approved' || member.state === 'pending') && (
        <section class="card" aria-labelledby="radiation">
          <h2 id="radiation">{t('members.strikeOff.title')}</h2>
          <Form action={`/admin/adherents/${member.id}/radier`} scope="strike">
            <ErrorSummary errors={forms.strikeOff?.errors ?? {}} />
            <TextArea name="reason" label={t('members.strikeOff.reason')} values={forms.strikeOff?.values} errors={forms.strikeOff?.errors} rows={3} required maxLength={2000} />
            <Button variant="danger">{t('members.strikeOff.submit')}</Button>
          </Form>
        </section>
      )}
    </AdminShell>
  );
}

export function MyMembershipView({ data }: { data: { member: MemberRow; status: MemberStatus; payments: PaymentRow[]; groupMailsOffSince: Date | null } | null }) {
  const { t, intl } = usePage();
  return (
    <Layout title={t('members.my.title')}>
      <h1>{t('members.my.title')}</h1>
      {!data ? (
        <p>
          {t('members.my.none')} <a href="/adherer">{t('members.join.title')}</a>
        </p>
      ) : (
        <>
          <p>
            <MemberNumber n={data.member.number} /> · <StatusBadge status={data.status} /> · {data.member.plan_name}
          </p>
          <p>{data.member.valid_until ? t('members.my.validUntil', { date: formatDay(data.member.valid_until, intl) }) : t(`members.my.explain.${data.status}`)}</p>
          <p class="actions">
            <a class="button button-primary" href="/compte/carte">
              {t('members.card.title')}
            </a>
            {data.member.state === 'approved' && (
              <a class="button button-secondary" href="/adherer/renouveler">
                {t('members.renew.title')}
              </a>
            )}
          </p>
          <h2>{t('members.dues.title')}</h2>
          <PaymentsTable payments={data.payments} receiptHref={(p) => `/compte/adhesion/recus/${p.id}`} caption={t('members.dues.title')} />
          <section aria-labelledby="courriels">
            <h2 id="courriels">{t('members.my.groupMails.title')}</h2>
            <p>{data.groupMailsOffSince ? t('members.my.groupMails.off', { date: formatDate(data.groupMailsOffSince, intl) }) : t('members.my.groupMails.on')}</p>
            <Form action="/compte/adhesion/courriels">
              <input type="hidden" name="groupMails" value={data.groupMailsOffSince ? '1' : '0'} />
              <Button variant="secondary">{t(data.groupMailsOffSince ? 'members.my.groupMails.turnOn' : 'members.my.groupMails.turnOff')}</Button>
            </Form>
          </section>
        </>
      )}
    </Layout>
  );
}
