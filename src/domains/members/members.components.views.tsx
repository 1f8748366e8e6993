/** Small pieces the members' pages share: amounts, statuses, numbers, the filter select. Pure. */
import { usePage } from '../../web/page-context.js';
import { type MemberStatus, memberNumber, receiptNumber } from './members.common.js';
import { filterParams, type MemberListQuery } from './members.schemas.js';

const euroFormats = new Map<string, Intl.NumberFormat>();

/** "25 €", "12,50 €": one formatter per language, built once. */
export function useEuros() {
  const { intl } = usePage();
  let f = euroFormats.get(intl);
  if (!f) euroFormats.set(intl, (f = new Intl.NumberFormat(intl, { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 2 })));
  return (cents: number) => f.format(cents / 100);
}

export function StatusBadge({ status }: { status: MemberStatus }) {
  const { t } = usePage();
  return <span class={`tag member-status member-status-${status}`}>{t(`members.status.${status}`)}</span>;
}

export const MemberNumber = ({ n }: { n: number }) => <span class="nowrap">{memberNumber(n)}</span>;
export const ReceiptNumber = ({ year, seq }: { year: number; seq: number }) => <span class="nowrap">{receiptNumber(year, seq)}</span>;

/** A page of the team's list with its filters (`/admin/adherents?statut=actif&commune=32013`): links keep them. */
export function listHref(path: string, query: MemberListQuery) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filterParams(query))) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** What the list's filters offer, to name the chosen ones. */
export interface FilterChoices {
  plans: { id: number; name: string }[];
  communes: { insee: string; name: string }[];
  epcis: { siren: string; name: string }[];
  skills: { key: string; label: string }[];
}

/** The filters applied, in words ("Statut : Actif · Commune : Auch"), or `empty` when none is. */
export function FilterSummary({ query, choices, intro, empty }: { query: MemberListQuery; choices: FilterChoices; intro: string; empty: string }) {
  const { t } = usePage();
  const parts: [string, string][] = [];
  if (query.statut) parts.push([t('members.staff.filterStatus'), t(`members.status.${query.statut}`)]);
  if (query.formule) parts.push([t('members.staff.filterPlan'), choices.plans.find((p) => p.id === query.formule)?.name ?? '']);
  if (query.commune) parts.push([t('members.staff.commune'), choices.communes.find((c) => c.insee === query.commune)?.name ?? '']);
  if (query.epci) parts.push([t('members.staff.filterEpci'), choices.epcis.find((e) => e.siren === query.epci)?.name ?? '']);
  if (query.echeance) parts.push([t('members.staff.filterExpiry'), query.echeance]);
  if (query.competence) parts.push([t('members.staff.filterSkill'), choices.skills.find((s) => s.key === query.competence)?.label ?? '']);
  return (
    <p>
      {intro} {parts.length ? parts.map(([k, v]) => `${k} : ${v}`).join(' · ') : empty}
    </p>
  );
}
