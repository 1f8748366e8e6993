/** The application form (/adherer), its confirmation, and the statutes and privacy notice it links to. */
import { Button, Checkbox, ErrorSummary, Field, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { useEuros } from '../members.components.views.js';
import type { Plan } from '../plans/index.js';
import { OUTSIDE } from './joining.schemas.js';

export function JoinView({
  plans,
  communes,
  values,
  errors,
  signedInEmail,
  alreadyMember,
}: {
  plans: Plan[];
  communes: { insee: string; name: string }[];
  values?: FormValues;
  errors?: FieldErrors;
  signedInEmail?: string;
  alreadyMember: boolean;
}) {
  const { t } = usePage();
  const euros = useEuros();
  const v = { ...values, ...(signedInEmail ? { email: signedInEmail } : {}) };
  return (
    <Layout title={t('members.join.title')} narrow description={t('members.join.lead')}>
      <h1>{t('members.join.title')}</h1>
      <p class="lead">{t('members.join.lead')}</p>
      {alreadyMember ? (
        <p>
          {t('members.join.youAreMember')} <a href="/compte/adhesion">{t('members.nav.mine')}</a>
        </p>
      ) : plans.length === 0 ? (
        <p>{t('members.join.noPlan')}</p>
      ) : (
        <Form action="/adherer">
          <ErrorSummary errors={errors ?? {}} />
          {!signedInEmail && (
            <p class="hint">
              {t('members.join.haveAccount')} <a href="/connexion?retour=%2Fadherer">{t('members.join.signIn')}</a>
            </p>
          )}
          <Field name="firstName" label={t('members.join.firstName')} values={v} errors={errors} required autocomplete="given-name" maxLength={80} />
          <Field name="lastName" label={t('members.join.lastName')} values={v} errors={errors} required autocomplete="family-name" maxLength={80} />
          {signedInEmail ? (
            <>
              <input type="hidden" name="email" value={signedInEmail} />
              <p>
                {t('members.join.signedInAs')} <strong>{signedInEmail}</strong>
              </p>
            </>
          ) : (
            <Field name="email" type="email" label={t('members.join.email')} hint={t('members.join.emailHint')} values={v} errors={errors} required autocomplete="email" maxLength={254} />
          )}
          <Field name="phone" type="tel" label={t('members.join.phone')} values={v} errors={errors} autocomplete="tel" maxLength={30} />
          <Field name="activity" label={t('members.join.activity')} hint={t('members.join.activityHint')} values={v} errors={errors} required maxLength={200} />
          <Select
            name="insee"
            label={t('members.join.commune')}
            values={v}
            errors={errors}
            required
            options={[
              { value: '', label: t('members.form.choose') },
              { value: OUTSIDE, label: t('members.join.outside') },
              ...communes.map((c) => ({ value: c.insee, label: c.name })),
            ]}
          />
          <Select
            name="planId"
            label={t('members.join.plan')}
            values={v}
            errors={errors}
            required
            options={[
              { value: '', label: t('members.form.choose') },
              ...plans.map((p) => ({ value: String(p.id), label: t('members.join.planOption', { name: p.name, price: euros(p.price_cents), period: t(`members.plans.period.${p.period}`) }) })),
            ]}
          />
          <Checkbox name="acceptStatutes" label={t('members.join.acceptStatutes')} values={v} errors={errors} />
          <p class="small">
            <a href="/adherer/statuts">{t('members.statutes.title')}</a>
          </p>
          <Checkbox name="acceptPrivacy" label={t('members.join.acceptPrivacy')} values={v} errors={errors} />
          <p class="small">
            <a href="/adherer/confidentialite">{t('members.privacy.title')}</a>
          </p>
          <Button>{t('members.join.submit')}</Button>
        </Form>
      )}
    </Layout>
  );
}

export function JoinSentView() {
  const { t } = usePage();
  return (
    <Layout title={t('members.join.sent.title')} narrow>
      <h1>{t('members.join.sent.title')}</h1>
      <p>{t('members.join.sent.text')}</p>
      <p>
        <a href="/compte/adhesion">{t('members.nav.mine')}</a>
      </p>
    </Layout>
  );
}

/** A short text page written in the catalogue: a title and numbered paragraphs. */
function TextPage({ prefix, count }: { prefix: string; count: number }) {
  const { t } = usePage();
  return (
    <Layout title={t(`${prefix}.title`)} narrow>
      <h1>{t(`${prefix}.title`)}</h1>
      {Array.from({ length: count }, (_, i) => (
        <p key={i}>{t(`${prefix}.p${i + 1}`)}</p>
      ))}
      <p>
        <a href="/adherer">{t('members.join.title')}</a>
      </p>
    </Layout>
  );
}

export const StatutesView = () => <TextPage prefix="members.statutes" count={5} />;
export const PrivacyView = () => <TextPage prefix="members.privacy" count={6} />;
