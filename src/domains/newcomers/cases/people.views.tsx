/** The people of a household and the villages it looks at, as the team and the partners see them. */
import { Table, type Column } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';

interface Child {
  position: number;
  age: number;
  schooling: string;
  needs?: string | null;
}

/**
 * The people of a household: adults with their projects, children with their age and schooling (and, for the team,
 * their particular needs). Shared by the staff case page and the partners' limited view.
 */
export function HouseholdTables({
  adults,
  children,
  withChildNeeds = false,
}: {
  adults: { position: number; first_name: string | null; project: string; profession: string | null; sector: string | null }[];
  children: Child[];
  withChildNeeds?: boolean;
}) {
  const { t } = usePage();
  const childColumns: Column<Child>[] = [
    { key: 'age', header: t('newcomers.apply.age'), rowHeader: true, className: 'num', render: (ch) => t('newcomers.case.age', { age: ch.age }) },
    { key: 'schooling', header: t('newcomers.apply.schooling'), render: (ch) => t(`newcomers.schooling.${ch.schooling}`) },
  ];
  if (withChildNeeds) childColumns.push({ key: 'needs', header: t('newcomers.apply.childNeeds'), render: (ch) => ch.needs ?? '—' });
  return (
    <>
      {/* Focusable frames: on a phone these tables scroll sideways inside their box, and a keyboard can scroll them. */}
      <Table
        wrap="region"
        captionId="foyer-adultes"
        caption={t('newcomers.case.adults')}
        rows={adults}
        rowKey={(a) => a.position}
        columns={[
          { key: 'firstName', header: t('newcomers.apply.firstName'), rowHeader: true, render: (a) => a.first_name ?? t('newcomers.apply.adultN', { n: a.position }) },
          { key: 'project', header: t('newcomers.apply.project'), render: (a) => t(`newcomers.project.${a.project}`) },
          { key: 'profession', header: t('newcomers.apply.profession'), render: (a) => a.profession ?? '—' },
          { key: 'sector', header: t('newcomers.apply.sector'), render: (a) => a.sector ?? '—' },
        ]}
      />
      <Table wrap="region" captionId="foyer-enfants" caption={t('newcomers.case.children')} rows={children} rowKey={(ch) => ch.position} empty={t('newcomers.case.noChildren')} columns={childColumns} />
    </>
  );
}

/** The target villages (each linked to its profile) and the household's own words about the area, in a `dl.facts`. */
export function TargetVillagesFact({ targets, text }: { targets: { insee: string; name: string }[]; text: string | null }) {
  const { t } = usePage();
  return (
    <div>
      <dt>{t('newcomers.case.villages')}</dt>
      <dd>
        {targets.length ? (
          <ul class="inline-list">
            {targets.map((v) => (
              <li key={v.insee}>
                <a href={`/villages/${v.insee}`}>{v.name}</a>
              </li>
            ))}
          </ul>
        ) : (
          '—'
        )}
        {text && <p class="pre">{text}</p>}
      </dd>
    </div>
  );
}
