/** The printable receipt: the same lines as its PDF, a print button-free page (print CSS hides the frame). */
import { Layout } from '../../../web/layout.js';
import { usePage } from '../../../web/page-context.js';
import type { PdfLine } from './dues.pdf.js';

export function ReceiptView({ lines, pdfHref, backHref }: { lines: PdfLine[]; pdfHref: string; backHref: string }) {
  const { t } = usePage();
  const [issuer, title, ...rest] = lines;
  return (
    <Layout title={title.text}>
      <p class="small no-print">
        <a href={backHref}>{t('members.receipt.back')}</a> · <a href={pdfHref}>{t('members.receipt.pdf')}</a>
      </p>
      <article class="receipt">
        <p>
          <strong>{issuer.text}</strong>
        </p>
        <h1>{title.text}</h1>
        {rest.map((line, i) => (
          <p key={i} class={line.bold ? 'receipt-amount' : undefined}>
            {line.bold ? <strong>{line.text}</strong> : line.text}
          </p>
        ))}
      </article>
    </Layout>
  );
}
