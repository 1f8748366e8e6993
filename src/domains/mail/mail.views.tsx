import type { MailState } from '../../db/schema.js';
import { formatDateTime } from '../../shared/time.js';
import { AdminShell } from '../../web/components/admin-shell.js';
import { Button, Form } from '../../web/components/forms.js';
import { Pagination } from '../../web/components/pagination.js';
import { Table } from '../../web/components/table.js';
import { usePage } from '../../web/page-context.js';
import { MAIL_STATES } from './mail.policy.js';

export interface OutboxRow {
  id: string;
  created_at: Date;
  to_address: string;
  subject: string;
  state: MailState;
  attempts: number;
  /** Deliveries taken over after an interrupted one: the recipient may have it twice (same Message-ID). */
  lease_retries: number;
  last_error: string | null;
}

export interface OutboxMail extends OutboxRow {
  text_body: string;
  sent_at: Date | null;
  last_attempt_at: Date | null;
  message_id: string | null;
  /** Files sent with the mail: their names are shown, not their content. */
  attachments: { filename: string; contentType: string }[];
}

/** The state in words; the colour only repeats it. */
export function MailStateBadge({ state, retried = 0 }: { state: MailState; retried?: number }) {
  const { t } = usePage();
  const badge = <span class={`mail-state mail-state-${state}`}>{t(`mail.state.${state}`)}</span>;
  if (!retried) return badge;
  return (
    <>
      {badge} <span class="small mail-retried">{t('mail.admin.retried', { count: retried })}</span>
    </>
  );
}

function NoSmtpNotice() {
  const { t } = usePage();
  return (
    <p class="alert alert-info" role="note">
      {t('mail.admin.noSmtp')}
    </p>
  );
}

export function OutboxView({
  rows,
  total,
  byState,
  page,
  pages,
  state,
  smtpConfigured,
}: {
  rows: OutboxRow[];
  total: number;
  byState: Partial<Record<MailState, number>>;
  page: number;
  pages: number;
  state?: MailState;
  smtpConfigured: boolean;
}) {
  const { t, intl } = usePage();
  return (
    <AdminShell title={t('mail.admin.title')}>
      <h1>{t('mail.admin.title')}</h1>
      <p class="lead">{t('mail.admin.lead')}</p>
      {!smtpConfigured && <NoSmtpNotice />}
      {smtpConfigured && (byState.held ?? 0) > 0 && (
        <Form action="/admin/courriels/retenus" class="inline-form">
          <p>{t('mail.admin.held.text', { count: byState.held ?? 0 })}</p>
          <Button>{t('mail.admin.held.submit')}</Button>
        </Form>
      )}
      <form method="get" action="/admin/courriels" class="filters">
        <div class="field">
          <label for="f-etat">{t('mail.admin.filter.state')}</label>
          <select id="f-etat" name="etat">
            <option value="">{t('mail.admin.filter.all')}</option>
            {MAIL_STATES.map((s) => (
              <option key={s} value={s} selected={state === s}>
                {t('mail.admin.filter.option', { label: t(`mail.state.${s}`), count: byState[s] ?? 0 })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary">
          {t('mail.admin.filter.submit')}
        </button>
      </form>
      <p>{t('mail.admin.count', { count: total })}</p>
      <Table
        class="outbox"
        rows={rows}
        rowKey={(m) => m.id}
        empty={t('mail.admin.empty')}
        columns={[
          { key: 'date', header: t('mail.admin.col.date'), render: (m) => formatDateTime(m.created_at, intl) },
          { key: 'to', header: t('mail.admin.col.to'), className: 'mail-address', render: (m) => m.to_address },
          { key: 'subject', header: t('mail.admin.col.subject'), render: (m) => <a href={`/admin/courriels/${m.id}`}>{m.subject}</a> },
          { key: 'state', header: t('mail.admin.col.state'), render: (m) => <MailStateBadge state={m.state} retried={m.lease_retries} /> },
          { key: 'attempts', header: t('mail.admin.col.attempts'), align: 'end', render: (m) => m.attempts },
          { key: 'error', header: t('mail.admin.col.error'), className: 'small mail-error', render: (m) => m.last_error ?? '—' },
        ]}
      />
      <Pagination page={page} pages={pages} baseQuery={{ etat: state }} />
    </AdminShell>
  );
}

export function OutboxMailView({ mail, resendable, smtpConfigured }: { mail: OutboxMail; resendable: boolean; smtpConfigured: boolean }) {
  const { t, intl } = usePage();
  const when = (d: Date | null) => (d ? formatDateTime(d, intl) : '—');
  return (
    <AdminShell title={`${t('mail.admin.detail.title')} – ${mail.subject}`}>
      <p>
        <a href="/admin/courriels">{t('mail.admin.detail.back')}</a>
      </p>
      <h1>{mail.subject}</h1>
      {!smtpConfigured && <NoSmtpNotice />}
      <dl class="mail-meta">
        <dt>{t('mail.admin.detail.to')}</dt>
        <dd class="mail-address">{mail.to_address}</dd>
        <dt>{t('mail.admin.detail.state')}</dt>
        <dd>
          <MailStateBadge state={mail.state} />
        </dd>
        <dt>{t('mail.admin.detail.created')}</dt>
        <dd>{when(mail.created_at)}</dd>
        <dt>{t('mail.admin.detail.sent')}</dt>
        <dd>{when(mail.sent_at)}</dd>
        <dt>{t('mail.admin.detail.attempts')}</dt>
        <dd>{mail.attempts}</dd>
        <dt>{t('mail.admin.detail.retried')}</dt>
        <dd>{mail.lease_retries ? t('mail.admin.detail.retriedText', { count: mail.lease_retries }) : '—'}</dd>
        <dt>{t('mail.admin.detail.lastAttempt')}</dt>
        <dd>{when(mail.last_attempt_at)}</dd>
        <dt>{t('mail.admin.detail.error')}</dt>
        <dd class="mail-error">{mail.last_error ?? '—'}</dd>
        <dt>{t('mail.admin.detail.messageId')}</dt>
        <dd>{mail.message_id ? <code>{mail.message_id}</code> : '—'}</dd>
      </dl>
      <p>
        <a href={`/admin/journal?sujet=${encodeURIComponent(mail.id)}`}>{t('mail.admin.detail.history')}</a>
      </p>
      {resendable && (
        <section aria-labelledby="renvoyer" class="card">
          <h2 id="renvoyer">{t('mail.admin.resend.title')}</h2>
          <p>{t(`mail.admin.resend.${mail.state}`)}</p>
          <Form action={`/admin/courriels/${mail.id}/renvoyer`}>
            <Button>{t('mail.admin.resend.submit')}</Button>
          </Form>
        </section>
      )}
      <h2>{t('mail.admin.detail.body')}</h2>
      <pre class="mail-body">
        {mail.text_body}
      </pre>
      {mail.attachments.length > 0 && (
        <>
          <h2>{t('mail.admin.detail.attachments')}</h2>
          <ul>
            {mail.attachments.map((a) => (
              <li key={a.filename}>
                {a.filename} ({a.contentType.split(';')[0]})
              </li>
            ))}
          </ul>
        </>
      )}
    </AdminShell>
  );
}
