/** The people of a household and the villages it looks at, as the team and the partners see them. */
import { usePage } from '../../../web/page-context.js';

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
  children: { position: number; age: number; schooling: string; needs?: string | null }[];
  withChildNeeds?: boolean;
}) {
  const { t } = usePage();
  return (
    <>
      <div class="table-wrap">
        <table>
          <caption>{t('newcomers.case.adults')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('newcomers.apply.firstName')}</th>
              <th scope="col">{t('newcomers.apply.project')}</th>
              <th scope="col">{t('newcomers.apply.profession')}</th>
              <th scope="col">{t('newcomers.apply.sector')}</th>
            </tr>
          </thead>
          <tbody>
            {adults.map((a) => (
              <tr key={a.position}>
                <th scope="row">{a.first_name ?? t('newcomers.apply.adultN', { n: a.position })}</th>
                <td>{t(`newcomers.project.${a.project}`)}</td>
                <td>{a.profession ?? '—'}</td>
                <td>{a.sector ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {children.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption>{t('newcomers.case.children')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('newcomers.apply.age')}</th>
                <th scope="col">{t('newcomers.apply.schooling')}</th>
                {withChildNeeds && <th scope="col">{t('newcomers.apply.childNeeds')}</th>}
              </tr>
            </thead>
            <tbody>
              {children.map((ch) => (
                <tr key={ch.position}>
                  <th scope="row" class="num">
                    {t('newcomers.case.age', { age: ch.age })}
                  </th>
                  <td>{t(`newcomers.schooling.${ch.schooling}`)}</td>
                  {withChildNeeds && <td>{ch.needs ?? '—'}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('newcomers.case.noChildren')}</p>
      )}
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
