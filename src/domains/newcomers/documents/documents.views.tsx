/** Case documents on the household's page and on the team's case page: the list, the upload form, the delete button. */
import { formatDate } from '../../../shared/time.js';
import { Form, type FieldErrors } from '../../../web/components/forms.js';
import { Table, type Column } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import type { DocumentRow } from './documents.service.js';
import { numberFormat } from '../../../shared/formatters.js';

const TYPE_KEY: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

function Size({ bytes }: { bytes: number }) {
  const { t, intl } = usePage();
  if (bytes < 1024 * 1024) return <>{t('newcomers.documents.sizeKb', { size: numberFormat(intl).format(Math.max(1, Math.round(bytes / 1024))) })}</>;
  return <>{t('newcomers.documents.sizeMb', { size: numberFormat(intl, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024)) })}</>;
}

export function DocumentsTable({ documents, maxDocuments, viewer, caseId }: { documents: DocumentRow[]; maxDocuments: number; viewer: 'staff' | 'household'; caseId?: string }) {
  const { t, intl } = usePage();
  const href = (id: string) => (viewer === 'staff' ? `/admin/accueil/${caseId}/documents/${id}` : `/mon-projet/documents/${id}`);
  const columns: Column<DocumentRow>[] = [
    {
      key: 'name',
      header: t('newcomers.documents.col.name'),
      rowHeader: true,
      render: (d) => (
        <a href={href(d.id)} download={d.original_name}>
          {d.original_name}
        </a>
      ),
    },
    { key: 'type', header: t('newcomers.documents.col.type'), render: (d) => t(`newcomers.documents.type.${TYPE_KEY[d.content_type]}`) },
    // Right-aligned cells under a header left as it was.
    { key: 'size', header: t('newcomers.documents.col.size'), className: 'num', render: (d) => <Size bytes={d.size_bytes} /> },
    {
      key: 'from',
      header: t('newcomers.documents.col.from'),
      render: (d) =>
        d.from_staff
          ? viewer === 'staff'
            ? t('newcomers.documents.fromStaff', { name: d.uploaded_by_name ?? '—' })
            : t('newcomers.documents.team')
          : viewer === 'staff'
            ? t('newcomers.documents.fromHousehold')
            : t('newcomers.documents.you'),
    },
    { key: 'at', header: t('newcomers.documents.col.at'), render: (d) => formatDate(d.uploaded_at, intl) },
  ];
  if (viewer === 'staff')
    columns.push({
      key: 'actions',
      header: t('newcomers.documents.col.actions'),
      render: (d) => (
        <Form action={`/admin/accueil/${caseId}/documents/${d.id}/supprimer`} class="inline-form">
          <button type="submit" class="button button-danger">
            {t('newcomers.documents.delete')} <span class="visually-hidden">{t('newcomers.documents.deleteLabel', { name: d.original_name })}</span>
          </button>
        </Form>
      ),
    });
  return (
    <Table
      caption={t('newcomers.documents.caption', { count: documents.length, max: maxDocuments })}
      rows={documents}
      rowKey={(d) => d.id}
      empty={t('newcomers.documents.none')}
      columns={columns}
    />
  );
}

/**
 * The upload form: multipart, with the CSRF field first (the server checks it before reading the file). The error
 * is rendered here, not by the generic field, because its message names the size limit.
 */
export function DocumentUploadForm({ action, errors = {}, maxBytes, maxDocuments }: { action: string; errors?: FieldErrors; maxBytes: number; maxDocuments: number }) {
  const { t } = usePage();
  const max = Math.floor(maxBytes / (1024 * 1024));
  const error = errors.file ?? errors._form;
  return (
    <Form action={action} enctype="multipart/form-data">
      <div class={error ? 'field field-error' : 'field'}>
        <label for="f-file">{t('newcomers.documents.file')}</label>
        <p class="hint" id="h-file">
          {t('newcomers.documents.fileHint', { max, count: maxDocuments })}
        </p>
        {error && (
          <p class="error-message" id="e-file" role="alert">
            {t(error, { max: error === 'newcomers.documents.tooMany' ? maxDocuments : max })}
          </p>
        )}
        <input
          id="f-file"
          name="file"
          type="file"
          accept="application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp"
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'h-file e-file' : 'h-file'}
        />
      </div>
      <button type="submit" class="button button-secondary">
        {t('newcomers.documents.upload')}
      </button>
    </Form>
  );
}
