/** Funder tags on screen: the territory's list (/admin/accueil/financeurs), a case's tags, a task's tag, the list filters. */
import { AdminShell } from '../../../web/components/admin-shell.js';
import { Button, Checkboxes, ErrorSummary, Form, Select, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { usePage } from '../../../web/page-context.js';
import type { CaseListQuery } from './cases.schemas.js';
import { LabelListEditor } from './labels.views.js';
import type { CaseFunderTags } from './tags.service.js';

interface FormState {
  values?: FormValues;
  errors?: FieldErrors;
}
interface TagRow {
  id: number;
  key: string | null;
  label: string | null;
  archived_at: Date | null;
}

/** A tag's name: staff's own label, or the built-in one translated. */
export function useTagName() {
  const { t } = usePage();
  return (tag: { key: string | null; label: string | null }) => tag.label ?? t(`newcomers.tags.builtin.${tag.key}`);
}

export function FunderTagsView({ tags, add = {} }: { tags: TagRow[]; add?: FormState }) {
  const { t } = usePage();
  const nameOf = useTagName();
  return (
    <AdminShell title={t('newcomers.tags.title')}>
      <p class="small">
        <a href="/admin/accueil">{t('newcomers.staff.backToList')}</a>
      </p>
      <h1>{t('newcomers.tags.title')}</h1>
      <p>{t('newcomers.tags.lead')}</p>
      <LabelListEditor
        rows={tags.map((tag) => ({ id: tag.id, name: nameOf(tag), archived: !!tag.archived_at }))}
        action="/admin/accueil/financeurs"
        keys="newcomers.tags"
        maxLength={80}
        caption={t('newcomers.tags.title')}
        add={add}
      />
    </AdminShell>
  );
}

/** The case page's section: which funders this case is counted for. */
export function CaseTagsSection({ caseId, tags, form = {} }: { caseId: string; tags: CaseFunderTags; form?: FormState }) {
  const { t } = usePage();
  const nameOf = useTagName();
  const values = form.values ?? { tags: tags.caseTagIds.map(String) };
  return (
    <section class="card" aria-labelledby="financeurs" id="financeurs-section">
      <h2 id="financeurs">{t('newcomers.tags.caseTitle')}</h2>
      <Form action={`/admin/accueil/${caseId}/financeurs`}>
        <ErrorSummary errors={form.errors ?? {}} />
        <Checkboxes
          name="tags"
          legend={t('newcomers.tags.caseLegend')}
          hint={t('newcomers.tags.caseHint')}
          values={values}
          errors={form.errors}
          options={tags.offered.map((tag) => ({ value: String(tag.id), label: tag.archived_at ? `${nameOf(tag)} (${t('newcomers.tags.archived')})` : nameOf(tag) }))}
        />
        <Button variant="secondary">{t('newcomers.tags.saveCase')}</Button>
      </Form>
      <p class="small">
        <a href="/admin/accueil/financeurs">{t('newcomers.tags.manage')}</a>
      </p>
    </section>
  );
}

/** The task form's optional tag. */
export function TaskTagField({ tags, values, errors }: { tags: CaseFunderTags; values?: FormValues; errors?: FieldErrors }) {
  const { t } = usePage();
  const nameOf = useTagName();
  return (
    <Select
      name="funderTagId"
      label={t('newcomers.tags.taskTag')}
      hint={t('newcomers.tags.taskTagHint')}
      values={values}
      errors={errors}
      options={[{ value: '', label: t('newcomers.tags.none') }, ...tags.active.map((tag) => ({ value: String(tag.id), label: nameOf(tag) }))]}
    />
  );
}

/** " · LEADER" after a task carrying a tag. */
export function TaskTagLabel({ tags, taskId }: { tags: CaseFunderTags; taskId: number }) {
  const { t } = usePage();
  const nameOf = useTagName();
  const tag = tags.offered.find((x) => x.id === tags.taskTags[taskId]);
  return tag ? <span class="small"> · {t('newcomers.tags.taskCarries', { tag: nameOf(tag) })}</span> : null;
}

export interface ListFilterOptions {
  epcis: { siren: string; name: string }[];
  communes: { insee: string; name: string }[];
  tags: TagRow[];
}

/** The staff list's area (EPCI) and funder filters, inside its GET form. */
export function AreaTagFilters({ query, options }: { query: CaseListQuery; options?: ListFilterOptions }) {
  const { t } = usePage();
  const nameOf = useTagName();
  if (!options) return null;
  return (
    <>
      <div class="field">
        <label for="q-epci">{t('newcomers.tags.filterEpci')}</label>
        <select id="q-epci" name="epci">
          <option value="">{t('newcomers.tags.anyEpci')}</option>
          {options.epcis.map((e) => (
            <option key={e.siren} value={e.siren} selected={query.epci === e.siren}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q-financeur">{t('newcomers.tags.filterTag')}</label>
        <select id="q-financeur" name="financeur">
          <option value="">{t('newcomers.tags.anyTag')}</option>
          {options.tags.map((tag) => (
            <option key={tag.id} value={String(tag.id)} selected={query.financeur === tag.id}>
              {nameOf(tag)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
