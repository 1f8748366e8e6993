/**
 * The mark that sends a figure to its source at the bottom of the page: "[2]", set apart from the figure by a
 * no-break space and never raised, so it cannot read as a power or another digit ("85,6 km² [2]", not "85,6 km²²").
 * Every page that cites sources uses this one mark, and numbers its list items `source-<n>`.
 */
import { usePage } from '../page-context.js';

export function SourceRef({ n }: { n: number | null | undefined }) {
  const { t } = usePage();
  if (!n) return null;
  return (
    <span class="src-ref">
      {'\u00a0'}
      <a href={`#source-${n}`} aria-label={t('site.sourceRef', { n })}>
        [{n}]
      </a>
    </span>
  );
}
