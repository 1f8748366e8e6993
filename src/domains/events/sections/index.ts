export { communeEventsSection, homeEventsSection, placeEventsSection } from './sections.contributions.js';
export * as sectionsI18n from './sections.i18n.js';
