/**
 * The public application form. Without JavaScript a form cannot grow, so it always carries four adult blocks and six
 * child blocks; the extra ones sit in <details> (closed unless filled or in error) and empty blocks are ignored.
 */
import { Button, Checkbox, Checkboxes, ErrorSummary, Field, Form, Select, TextArea, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import { HEARD_FROM, MAX_ADULTS, MAX_CHILDREN, NEEDS, PROJECTS, SCHOOLING, TIMINGS } from './cases.schemas.js';

interface FormProps {
  values?: FormValues;
  errors?: FieldErrors;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const blockUsed = (prefix: string, values: FormValues, errors: FieldErrors) =>
  Object.entries(values).some(([k, v]) => k.startsWith(prefix) && (Array.isArray(v) ? v.length > 0 : !!v && v.trim() !== '')) ||
  Object.keys(errors).some((k) => k.startsWith(prefix));

function AdultBlock({ n, values, errors }: { n: number; values: FormValues; errors: FieldErrors }) {
  const { t } = usePage();
  const p = `adult${n}_`;
  const projectOptions = [{ value: '', label: t('newcomers.apply.choose') }, ...PROJECTS.map((v) => ({ value: v, label: t(`newcomers.project.${v}`) }))];
  return (
    <fieldset class="field household-block">
      <legend>{n === 1 ? t('newcomers.apply.adultFirst') : t('newcomers.apply.adultN', { n })}</legend>
      <Field name={`${p}firstName`} label={t('newcomers.apply.firstName')} values={values} errors={errors} maxLength={80} autocomplete={n === 1 ? 'given-name' : 'off'} />
      <Select name={`${p}project`} label={t('newcomers.apply.project')} values={values} errors={errors} options={projectOptions} required={n === 1} />
      <Field name={`${p}profession`} label={t('newcomers.apply.profession')} hint={t('newcomers.apply.professionHint')} values={values} errors={errors} maxLength={120} />
      <Field name={`${p}sector`} label={t('newcomers.apply.sector')} values={values} errors={errors} maxLength={120} />
    </fieldset>
  );
}

function ChildBlock({ n, values, errors }: { n: number; values: FormValues; errors: FieldErrors }) {
  const { t } = usePage();
  const p = `child${n}_`;
  const schoolingOptions = [{ value: '', label: t('newcomers.apply.choose') }, ...SCHOOLING.map((v) => ({ value: v, label: t(`newcomers.schooling.${v}`) }))];
  return (
    <fieldset class="field household-block">
      <legend>{t('newcomers.apply.childN', { n })}</legend>
      <Field name={`${p}age`} inputMode="numeric" label={t('newcomers.apply.age')} hint={t('newcomers.apply.ageHint')} values={values} errors={errors} maxLength={2} />
      <Select name={`${p}schooling`} label={t('newcomers.apply.schooling')} values={values} errors={errors} options={schoolingOptions} />
      <Field name={`${p}needs`} label={t('newcomers.apply.childNeeds')} hint={t('newcomers.apply.childNeedsHint')} values={values} errors={errors} maxLength={300} />
    </fieldset>
  );
}

type Village = { insee: string; name: string };

/**
 * Villages are picked by name, without JavaScript: the chosen ones are ticked boxes; "Chercher" posts the form,
 * which comes back with the villages whose name matches as boxes to tick. The script turns the search field into
 * a combobox that suggests villages as one types (public/app.js, `data-village-search`).
 */
function VillagePicker({ chosen, matches, query, values, errors }: { chosen: Village[]; matches?: Village[]; query?: string; values: FormValues; errors: FieldErrors }) {
  const { t } = usePage();
  const error = errors.targetCodes;
  const queryError = errors.villageQuery;
  const box = (v: Village, checked: boolean) => (
    <li key={v.insee} class="checkbox">
      <input type="checkbox" id={`f-targetCodes-${v.insee}`} name="targetCodes" value={v.insee} checked={checked} aria-invalid={error ? 'true' : undefined} />
      <label for={`f-targetCodes-${v.insee}`}>{v.name}</label>
    </li>
  );
  return (
    <fieldset class={error ? 'field field-error village-picker' : 'field village-picker'} id="f-targetCodes" aria-describedby={error ? 'h-targetCodes e-targetCodes' : 'h-targetCodes'}>
      <legend>{t('newcomers.apply.villages')}</legend>
      <p class="hint" id="h-targetCodes">
        {t('newcomers.apply.villagesHint')}
      </p>
      {error && (
        <p class="error-message" id="e-targetCodes">
          {t(error)}
        </p>
      )}
      <p class="villages-chosen-title" id="villages-chosen-title">
        {t('newcomers.apply.villagesChosen')}
      </p>
      {chosen.length === 0 && (
        <p class="muted small" id="villages-none">
          {t('newcomers.apply.villagesNone')}
        </p>
      )}
      <ul class="village-list" id="villages-chosen" aria-labelledby="villages-chosen-title">
        {chosen.map((v) => box(v, true))}
      </ul>
      {query !== undefined && matches && (
        <div class="village-matches" role="status">
          {matches.length > 0 ? (
            <>
              <p>{t('newcomers.apply.villageMatches', { q: query })}</p>
              <ul class="village-list">{matches.map((v) => box(v, false))}</ul>
            </>
          ) : (
            <p>{t('newcomers.apply.villageNoMatch', { q: query })}</p>
          )}
        </div>
      )}
      <div class={queryError ? 'field field-error village-search' : 'field village-search'}>
        <label for="f-villageQuery">{t('newcomers.apply.villageSearch')}</label>
        {queryError && (
          <p class="error-message" id="e-villageQuery">
            {t(queryError)}
          </p>
        )}
        <div class="village-search-row">
          <input
            id="f-villageQuery"
            type="search"
            name="villageQuery"
            maxLength={100}
            autocomplete="off"
            value={typeof values.villageQuery === 'string' ? values.villageQuery : ''}
            aria-invalid={queryError ? 'true' : undefined}
            aria-describedby={queryError ? 'e-villageQuery' : undefined}
            data-village-search="villages-chosen"
            data-suggestions-label={t('newcomers.apply.villageSuggestions')}
            data-added={t('newcomers.apply.villageAdded', { name: '{name}' })}
          />
          <button type="submit" name="chercher" value="1" class="button button-secondary">
            {t('newcomers.apply.villageSearchSubmit')}
          </button>
        </div>
      </div>
      <p class="hint">
        <a href="/villages">{t('newcomers.apply.finderLink')}</a>
      </p>
    </fieldset>
  );
}

export function ApplyView({ values = {}, errors = {}, chosen = [], matches, query }: FormProps & { chosen?: Village[]; matches?: Village[]; query?: string }) {
  const { t } = usePage();
  const timingOptions = [{ value: '', label: t('newcomers.apply.choose') }, ...TIMINGS.map((v) => ({ value: v, label: t(`newcomers.timing.${v}`) }))];
  const heardOptions = [{ value: '', label: t('newcomers.apply.choose') }, ...HEARD_FROM.map((v) => ({ value: v, label: t(`newcomers.heard.${v}`) }))];
  return (
    <Layout title={t('newcomers.apply.title')} description={t('newcomers.apply.lead')}>
      <div class="apply">
        <h1>{t('newcomers.apply.title')}</h1>
        <p class="lead">{t('newcomers.apply.lead')}</p>
        <p>{t('newcomers.apply.howItWorks')}</p>
        <Form action="/candidature" class="apply-form">
          <ErrorSummary errors={errors} />
          <fieldset class="apply-section">
            <legend>
              <span class="legend-title">{t('newcomers.apply.section.contact')}</span>
            </legend>
            <Field name="contactName" label={t('newcomers.apply.contactName')} values={values} errors={errors} required autocomplete="name" maxLength={120} />
            <Field name="email" type="email" label={t('newcomers.apply.email')} hint={t('newcomers.apply.emailHint')} values={values} errors={errors} required autocomplete="email" />
            <Field name="phone" type="tel" label={t('newcomers.apply.phone')} values={values} errors={errors} autocomplete="tel" maxLength={30} />
            <Field name="currentPlace" label={t('newcomers.apply.currentPlace')} hint={t('newcomers.apply.currentPlaceHint')} values={values} errors={errors} required maxLength={200} />
          </fieldset>

          <fieldset class="apply-section">
            <legend>
              <span class="legend-title">{t('newcomers.apply.section.adults')}</span>
            </legend>
            <p class="hint">{t('newcomers.apply.adultsHint')}</p>
            <AdultBlock n={1} values={values} errors={errors} />
            {range(MAX_ADULTS)
              .slice(1)
              .map((n) => (
                <details key={n} class="household-more" open={blockUsed(`adult${n}_`, values, errors)}>
                  <summary>{t('newcomers.apply.addAdult', { n })}</summary>
                  <AdultBlock n={n} values={values} errors={errors} />
                </details>
              ))}
          </fieldset>

          <fieldset class="apply-section">
            <legend>
              <span class="legend-title">{t('newcomers.apply.section.children')}</span>
            </legend>
            <p class="hint">{t('newcomers.apply.childrenHint')}</p>
            {range(MAX_CHILDREN).map((n) => (
              <details key={n} class="household-more" open={blockUsed(`child${n}_`, values, errors)}>
                <summary>{t('newcomers.apply.addChild', { n })}</summary>
                <ChildBlock n={n} values={values} errors={errors} />
              </details>
            ))}
          </fieldset>

          <fieldset class="apply-section">
            <legend>
              <span class="legend-title">{t('newcomers.apply.section.project')}</span>
            </legend>
            <VillagePicker chosen={chosen} matches={matches} query={query} values={values} errors={errors} />
            <Field name="targetText" label={t('newcomers.apply.targetText')} hint={t('newcomers.apply.targetTextHint')} values={values} errors={errors} maxLength={500} />
            <Select name="timing" label={t('newcomers.apply.timing')} values={values} errors={errors} options={timingOptions} required />
            <Checkboxes name="needs" legend={t('newcomers.apply.needs')} options={NEEDS.map((v) => ({ value: v, label: t(`newcomers.need.${v}`) }))} values={values} errors={errors} />
            <TextArea name="project" label={t('newcomers.apply.projectText')} hint={t('newcomers.apply.projectTextHint')} values={values} errors={errors} maxLength={4000} rows={5} />
            <Select name="heardFrom" label={t('newcomers.apply.heardFrom')} values={values} errors={errors} options={heardOptions} />
          </fieldset>

          <fieldset class="apply-section">
            <legend>
              <span class="legend-title">{t('newcomers.apply.section.consents')}</span>
            </legend>
            <Checkbox name="consentContact" label={t('newcomers.apply.consentContact')} values={values} errors={errors} />
            <Checkbox name="consentShare" label={t('newcomers.apply.consentShare')} values={values} errors={errors} />
            <p class="hint">{t('newcomers.apply.privacy')}</p>
          </fieldset>
          <Button>{t('newcomers.apply.submit')}</Button>
        </Form>
      </div>
    </Layout>
  );
}

export function ApplySentView() {
  const { t, user } = usePage();
  return (
    <Layout title={t('newcomers.apply.sent.title')} narrow>
      <h1>{t('newcomers.apply.sent.title')}</h1>
      <p class="lead">{t('newcomers.apply.sent.text')}</p>
      <p>{user ? t('newcomers.apply.sent.signedIn') : t('newcomers.apply.sent.activate')}</p>
      <p>
        <a class="button button-primary" href={user ? '/mon-projet' : '/connexion?retour=%2Fmon-projet'}>
          {user ? t('newcomers.my.title') : t('site.nav.login')}
        </a>
      </p>
      <p>
        <a href="/villages">{t('newcomers.apply.sent.explore')}</a>
      </p>
    </Layout>
  );
}

/**
 * The page a held application's mailed link opens: a button confirms it (a link alone confirms nothing, since mail
 * scanners open links), or the reason the link no longer works.
 */
export function ConfirmHeldView({ token, invalid }: { token: string; invalid?: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('newcomers.apply.confirm.title')} narrow>
      <h1>{t('newcomers.apply.confirm.title')}</h1>
      {invalid ? (
        <p class="alert alert-error" role="alert">
          {t(invalid)}
        </p>
      ) : (
        <>
          <p class="lead">{t('newcomers.apply.confirm.text')}</p>
          <Form action="/candidature/confirmer">
            <input type="hidden" name="token" value={token} />
            <Button>{t('newcomers.apply.confirm.submit')}</Button>
          </Form>
          <p>{t('newcomers.apply.confirm.ignore')}</p>
        </>
      )}
    </Layout>
  );
}
