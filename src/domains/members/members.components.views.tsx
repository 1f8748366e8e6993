/** Small pieces the members' pages share: amounts, statuses, numbers, the filter select. Pure. */
import { usePage } from '../../web/page-context.js';
import { type MemberStatus, memberNumber, receiptNumber } from './members.common.js';

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

/** One filter of a GET form: a labelled select whose first option means "any". */
export function FilterSelect({ name, label, all, current, options }: { name: string; label: string; all: string; current?: string; options: { value: string; label: string }[] }) {
  return (
    <div class="field">
      <label for={`q-${name}`}>{label}</label>
      <select id={`q-${name}`} name={name}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={current === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
