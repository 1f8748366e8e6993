/** The guide's categories, grouped as the programme presents them: working here, then daily life. */
export const CATEGORY_GROUPS = [
  { key: 'work', categories: ['teletravail', 'independants', 'creation-reprise', 'cae'] },
  { key: 'life', categories: ['logement', 'ecoles', 'sante', 'transports', 'culture', 'bio'] },
] as const;

export type GuideCategory = (typeof CATEGORY_GROUPS)[number]['categories'][number];

export const CATEGORIES: readonly GuideCategory[] = CATEGORY_GROUPS.flatMap((g) => [...g.categories]);

export const isCategory = (v: unknown): v is GuideCategory => typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
