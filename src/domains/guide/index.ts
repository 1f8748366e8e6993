/** The guide domain: staff-written articles in Markdown, with revisions. Other domains use only this file. */
export { guideRoutes } from './guide.routes.js';
export { searchArticles } from './guide.service.js';
export { seedGuideArticles, readSeedArticles } from './guide.seed.js';
export { CATEGORIES, CATEGORY_GROUPS, type GuideCategory } from './guide.categories.js';
