/**
 * The association's figures (/admin/adherents/chiffres): each table names its source (the programme's register of
 * members, as of the day shown) and the page says how the yearly figures are defined.
 */
import { formatDay } from '../../../shared/time.js';
import { AdminShell } from '../../../web/components/admin-shell.js';
import { SourceRef } from '../../../web/components/source-ref.js';
import { Table } from '../../../web/components/table.js';
import { usePage } from '../../../web/page-context.js';
import { CommuneMap, type MapCommune, type MapCounts } from '../../territory/index.js';
import { useEuros } from '../members.components.views.js';
import type { MemberFigures } from './figures.service.js';

export function MemberFiguresView({ data, territory, programme }: { data: MemberFigures; territory: string; programme: string }) {
  const { t, intl } = usePage();
  const euros = useEuros();
  const percent = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 });
  const date = formatDay(data.day, intl);
  const communes: MapCommune[] = data.communes.map((c) => ({ insee: c.insee, name: c.name, housePrice: null, houseSales: 0, toulouseKm: null, toulouseMinutes: null, gps: 0 }));
  const counts: MapCounts = {
    key: `members-figures-${data.day}`,
    values: Object.fromEntries(data.byCommune.map((c) => [c.insee, c.count])),
    legendTitle: t('members.map.legend'),
    columnTitle: t('members.map.column'),
    describe: (n) => t(n === 1 ? 'members.map.value.one' : 'members.map.value', { count: n }),
    classLabel: (from, to) => (from === 0 ? t('members.map.class.none') : to === null ? t('members.map.class.open', { from }) : from === to ? t('members.map.value', { count: from }) : t('members.map.class.range', { from, to })),
  };
  return (
    <AdminShell title={t('members.figures.title')}>
      <p class="small">
        <a href="/admin/adherents">{t('members.staff.back')}</a>
      </p>
      <h1>{t('members.figures.title')}</h1>
      <div data-sources="1">
        <p class="lead">
          {t('members.figures.lead', { total: data.total, upToDate: data.upToDate, date })}
          <SourceRef n={1} />
        </p>
        <p>
          <a class="button button-secondary" href="/admin/adherents/chiffres.csv">
            {t('members.figures.csvLink')}
          </a>
        </p>

        <h2 id="statuts">{t('members.figures.byStatus')}</h2>
        <Table
          caption={t('members.figures.byStatusCaption', { date })}
          wrap="region"
          captionId="tableau-statuts"
          rows={data.byStatus}
          rowKey={(r) => r.status}
          columns={[
            { key: 'status', header: t('members.staff.status'), rowHeader: true, render: (r) => t(`members.status.${r.status}`) },
            { key: 'count', header: t('members.figures.count'), align: 'end', render: (r) => r.count },
          ]}
        />

        <h2 id="annees">{t('members.figures.perYear')}</h2>
        <p>{t('members.figures.definitions')}</p>
        <Table
          caption={t('members.figures.perYearCaption', { date })}
          wrap="region"
          captionId="tableau-annees"
          rows={data.years}
          rowKey={(r) => r.year}
          empty={t('members.figures.none')}
          columns={[
            { key: 'year', header: t('members.figures.year'), rowHeader: true, render: (r) => <span data-ident>{r.year}</span> },
            { key: 'members', header: t('members.figures.members'), align: 'end', render: (r) => r.members },
            { key: 'new', header: t('members.figures.new'), align: 'end', render: (r) => r.new },
            { key: 'lapsed', header: t('members.figures.lapsed'), align: 'end', render: (r) => r.lapsed },
            { key: 'renewed', header: t('members.figures.renewed'), align: 'end', render: (r) => r.renewed },
            { key: 'rate', header: t('members.figures.renewalRate'), align: 'end', render: (r) => (r.renewalRate === null ? '—' : percent.format(r.renewalRate)) },
          ]}
        />

        <h2 id="cotisations">{t('members.figures.dues')}</h2>
        <Table
          caption={t('members.figures.duesCaption', { date })}
          wrap="region"
          captionId="tableau-cotisations"
          rows={data.dues}
          rowKey={(r) => r.year}
          empty={t('members.figures.none')}
          columns={[
            { key: 'year', header: t('members.figures.year'), rowHeader: true, render: (r) => <span data-ident>{r.year}</span> },
            { key: 'payments', header: t('members.figures.duesPayments'), align: 'end', render: (r) => r.payments },
            { key: 'amount', header: t('members.figures.duesAmount'), align: 'end', render: (r) => euros(r.cents) },
          ]}
        />

        <h2 id="formules">{t('members.figures.byPlan')}</h2>
        <Table
          caption={`${t('members.figures.byPlan')} (${t('members.figures.upToDateCaption', { date })})`}
          wrap="region"
          captionId="tableau-formules"
          rows={data.byPlan}
          rowKey={(r) => r.plan}
          empty={t('members.figures.none')}
          columns={[
            { key: 'plan', header: t('members.staff.plan'), rowHeader: true, render: (r) => r.plan },
            { key: 'count', header: t('members.figures.count'), align: 'end', render: (r) => r.count },
          ]}
        />

        <h2 id="communes">{t('members.figures.byCommune')}</h2>
        <p>{t('members.figures.placeLead', { outside: data.outside })}</p>
        <CommuneMap territory={territory} figure="prix" communes={communes} counts={counts} title={t('members.figures.mapTitle', { date })} />

        <h2 id="epci">{t('members.figures.byEpci')}</h2>
        <Table
          caption={`${t('members.figures.byEpci')} (${t('members.figures.upToDateCaption', { date })})`}
          wrap="region"
          captionId="tableau-epci"
          rows={data.byEpci}
          rowKey={(r) => r.siren}
          empty={t('members.figures.none')}
          columns={[
            { key: 'epci', header: t('members.staff.filterEpci'), rowHeader: true, render: (r) => r.name },
            { key: 'count', header: t('members.figures.count'), align: 'end', render: (r) => r.count },
          ]}
        />
      </div>

      <h2 id="sources">{t('members.figures.sources')}</h2>
      <ol class="sources">
        <li id="source-1">{t('members.figures.source', { programme, date })}</li>
      </ol>
    </AdminShell>
  );
}
