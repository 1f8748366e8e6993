/** The guide domain: staff-written articles in Markdown, with revisions. Other domains use only this file. */
import type { DomainModule } from '../../module.js';
import * as guideI18n from './guide.i18n.js';
import { guideRoutes } from './guide.routes.js';
import { seedGuideArticles } from './guide.seed.js';

export { searchArticles } from './guide.service.js';
export { seedGuideArticles, readSeedArticles } from './guide.seed.js';
export { CATEGORIES, CATEGORY_GROUPS, type GuideCategory } from './guide.categories.js';

export const guideModule: DomainModule = {
  name: 'guide',
  catalogues: [guideI18n],
  routes: guideRoutes,
  nav: {
    main: [{ href: '/guide', key: 'site.nav.guide', order: 20 }],
    admin: [{ href: '/admin/guide', key: 'guide.admin.nav', order: 50, roles: ['staff', 'admin'] }],
  },
  // The articles shipped with the territory (real content, not demo), only while it has none: staff edits stay.
  seed: async ({ db, territory, dataDir, now }) => ({ articles: await seedGuideArticles(db, territory.id, dataDir, now) }),
};
