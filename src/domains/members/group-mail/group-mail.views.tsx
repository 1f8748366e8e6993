/**
 * The team's group mail form (/admin/adherents/courriel): the group chosen by the list's filters, how many it
 * reaches, the preview, and the one-click unsubscribe page a member reaches from a mail.
 */
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkbox, ErrorSummary, Field, Form, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { filterParams } from '../members.schemas.js';
import { FilterSummary, listHref } from '../members.components.views.js';
import type { GroupMailPage } from './group-mail.service.js';

export function GroupMailView({ data, values, errors = {} }: { data: GroupMailPage; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const params = filterParams(data.query);
  return (
    <AdminShell title={t('members.groupMail.title')}>
      <p class="small">
        <a href={listHref('/admin/adherents', data.query)}>{t('members.staff.back')}</a>
      </p>
      <h1>{t('members.groupMail.title')}</h1>
      <FilterSummary query={data.query} choices={data.choices} intro={t('members.groupMail.filters')} empty={t('members.groupMail.noFilter')} />
      <p>
        <a href={listHref('/admin/adherents', data.query)}>{t('members.groupMail.changeFilters')}</a>
      </p>
      <div role="status">
        <ul>
          <li>{t('members.groupMail.matching', { count: data.counts.matching })}</li>
          <li>{t('members.groupMail.reachEssential', { count: data.counts.essential })}</li>
          <li>{t('members.groupMail.reachOptional', { count: data.counts.optional, optedOut: data.counts.optedOut })}</li>
          {data.counts.unreachable > 0 && <li>{t('members.groupMail.unreachable', { count: data.counts.unreachable })}</li>}
        </ul>
      </div>
      <p class="small">{t('members.groupMail.source')}</p>
      <Form action="/admin/adherents/courriel" scope="group">
        <ErrorSummary errors={errors} />
        {Object.entries(params).map(([k, v]) => (v === undefined ? null : <input type="hidden" name={k} value={v} />))}
        <Field name="subject" label={t('members.groupMail.subject')} values={values} errors={errors} required maxLength={150} />
        <TextArea name="body" label={t('members.groupMail.body')} hint={t('members.groupMail.bodyHint')} values={values} errors={errors} required rows={10} maxLength={5000} />
        <Checkbox name="essential" label={t('members.groupMail.essential')} values={values} errors={errors} />
        <p class="hint">{t('members.groupMail.essentialHint')}</p>
        <div class="actions">
          <Button variant="secondary" name="intent" value="preview">
            {t('members.groupMail.preview')}
          </Button>
          <Button name="intent" value="send">
            {t('members.groupMail.send')}
          </Button>
        </div>
      </Form>
      {data.preview && (
        <section class="card" aria-labelledby="apercu">
          <h2 id="apercu">{t('members.groupMail.previewTitle')}</h2>
          <p>
            <strong>{t('members.groupMail.previewSubject', { subject: data.preview.subject })}</strong>
          </p>
          <pre class="mail-body">{data.preview.text}</pre>
        </section>
      )}
    </AdminShell>
  );
}

export function UnsubscribeView({ firstName, optedOut, action }: { firstName: string; optedOut: boolean; action: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('members.unsubscribe.title')}>
      <h1>{t('members.unsubscribe.title')}</h1>
      {optedOut ? (
        <p role="status">{t('members.unsubscribe.done', { name: firstName })}</p>
      ) : (
        <Form action={action}>
          <p>{t('members.unsubscribe.ask', { name: firstName })}</p>
          <Button>{t('members.unsubscribe.submit')}</Button>
        </Form>
      )}
      <p>
        {t('members.unsubscribe.back')} <a href="/compte/adhesion">{t('members.my.title')}</a>
      </p>
    </Layout>
  );
}
