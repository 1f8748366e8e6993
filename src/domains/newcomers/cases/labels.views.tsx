/**
 * A list of labels the team maintains (drop reasons, funder tags): rename each in place, archive or restore it, add
 * one. Every action is a small form, so it works without JavaScript. `keys` is the catalogue prefix holding the
 * texts (`label`, `state`, `actions`, `rename`, `save`, `active`, `archived`, `archive`, `restore`, `add`).
 */
import { Button, ErrorSummary, Field, Form, type FieldErrors, type FormValues } from '../../../web/components/forms.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';

export interface LabelRow {
  id: number;
  name: string;
  archived: boolean;
}

export function LabelListEditor({
  rows,
  action,
  keys,
  maxLength,
  caption,
  add = {},
}: {
  rows: LabelRow[];
  /** Where the list posts: `${action}` adds, `${action}/${id}` renames or archives. */
  action: string;
  keys: string;
  maxLength: number;
  caption?: string;
  add?: { values?: FormValues; errors?: FieldErrors };
}) {
  const { t, csrfToken } = usePage();
  const k = (name: string) => `${keys}.${name}`;
  return (
    <>
      <Table
        caption={caption || undefined}
        captionHidden
        rows={rows}
        rowKey={(row) => row.id}
        columns={[
          {
            key: 'label',
            header: t(k('label')),
            rowHeader: true,
            render: (row) => (
              <form method="post" action={`${action}/${row.id}`} class="inline-fields">
                <input type="hidden" name="_csrf" value={csrfToken} />
                <label for={`label-${row.id}`} class="visually-hidden">
                  {t(k('rename'), { label: row.name })}
                </label>
                <input id={`label-${row.id}`} name="label" value={row.name} maxLength={maxLength} required />
                <button type="submit" class="button button-secondary">
                  {t(k('save'))}
                </button>
              </form>
            ),
          },
          { key: 'state', header: t(k('state')), render: (row) => (row.archived ? t(k('archived')) : t(k('active'))) },
          {
            key: 'actions',
            header: <span class="visually-hidden">{t(k('actions'))}</span>,
            render: (row) => (
              <form method="post" action={`${action}/${row.id}`} class="inline-form">
                <input type="hidden" name="_csrf" value={csrfToken} />
                <input type="hidden" name="archived" value={row.archived ? '0' : '1'} />
                <button type="submit" class="button button-secondary" aria-label={`${row.archived ? t(k('restore')) : t(k('archive'))} : ${row.name}`}>
                  {row.archived ? t(k('restore')) : t(k('archive'))}
                </button>
              </form>
            ),
          },
        ]}
      />
      <h2>{t(k('add'))}</h2>
      <Form action={action}>
        <ErrorSummary errors={add.errors ?? {}} />
        <Field name="label" label={t(k('label'))} values={add.values} errors={add.errors} required maxLength={maxLength} />
        <Button variant="secondary">{t(k('add'))}</Button>
      </Form>
    </>
  );
}
