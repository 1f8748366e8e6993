/**
 * The yearly figures from the membership periods, pure. A member *of year N* holds a period covering at least one
 * day of N; *new* in N: their first period starts in N; *lapsed* in N: their last period ended in N, before today,
 * and none followed; *renewed* in N: a member of N-1 with a period starting in N (a twelve-month period covers two
 * calendar years: covering N is not renewing in N). The renewal rate of N is renewed in N / members of N-1 (none for
 * the first year; the current year counts what was paid so far).
 */
export interface Period {
  member_id: string;
  starts_on: string;
  ends_on: string;
}

export interface YearFigures {
  year: number;
  members: number;
  new: number;
  lapsed: number;
  renewed: number;
  /** renewed / members of the year before, 0 to 1; null without members the year before. */
  renewalRate: number | null;
}

const yearOf = (day: string) => Number(day.slice(0, 4));

export function yearlyFigures(periods: readonly Period[], day: string): YearFigures[] {
  const current = yearOf(day);
  const years = new Map<string, Set<number>>();
  const startYears = new Map<string, Set<number>>();
  const first = new Map<string, string>();
  const last = new Map<string, string>();
  for (const p of periods) {
    let set = years.get(p.member_id);
    if (!set) years.set(p.member_id, (set = new Set()));
    if (!startYears.has(p.member_id)) startYears.set(p.member_id, new Set());
    startYears.get(p.member_id)!.add(yearOf(p.starts_on));
    for (let y = yearOf(p.starts_on); y <= Math.min(yearOf(p.ends_on), current); y++) set.add(y);
    if (!first.has(p.member_id) || p.starts_on < first.get(p.member_id)!) first.set(p.member_id, p.starts_on);
    if (!last.has(p.member_id) || p.ends_on > last.get(p.member_id)!) last.set(p.member_id, p.ends_on);
  }
  const starts = [...first.values()].map(yearOf).filter((y) => y <= current);
  if (!starts.length) return [];
  const out: YearFigures[] = [];
  for (let year = Math.min(...starts); year <= current; year++) {
    let members = 0;
    let renewed = 0;
    let before = 0;
    for (const [member, set] of years) {
      if (set.has(year)) members++;
      if (set.has(year - 1)) {
        before++;
        if (startYears.get(member)!.has(year)) renewed++;
      }
    }
    const fresh = [...first.values()].filter((d) => yearOf(d) === year).length;
    const lapsed = [...last.values()].filter((d) => yearOf(d) === year && d < day).length;
    out.push({ year, members, new: fresh, lapsed, renewed, renewalRate: before ? renewed / before : null });
  }
  return out;
}
