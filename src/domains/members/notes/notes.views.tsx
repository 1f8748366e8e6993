/** The team's notes on a member's staff page: newest first, each with its author, date and origin. Pure view. */
import { formatDateTime } from '../../../shared/time.js';
import { usePage } from '../../../web/page-context.js';
import type { MemberNote } from './notes.service.js';

export function MemberNotes({ notes }: { notes: MemberNote[] }) {
  const { t, intl } = usePage();
  return (
    <section aria-labelledby="notes-equipe" id="notes">
      <h2 id="notes-equipe">{t('members.notes.title')}</h2>
      <p class="small">{t('members.notes.lead')}</p>
      {notes.length === 0 ? (
        <p>{t('members.notes.empty')}</p>
      ) : (
        <ol class="plain-list">
          {notes.map((n) => (
            <li key={n.id} class="card">
              <p class="small">
                {t(`members.notes.source.${n.source}`)} · {t('members.notes.by', { author: n.author_name ?? t('members.notes.unknownAuthor'), when: formatDateTime(n.created_at, intl) })}
              </p>
              {n.body.split('\n').map((line, i) => (
                <p key={i}>{line}</p>
              ))}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
