/** The territory guide: communes and their figures, sources, corrections. Other domains use only this file. */
import type { AppContext } from '../../context.js';
import type { DomainModule } from '../../module.js';
import { contribute, extensionPoint } from '../../shared/extensions.js';
import type { PublicSection } from '../../web/page-sections.js';
import { homeHighlightsPoint } from '../site/index.js';
import { finderApi } from './finder.api.js';
import * as finderI18n from './finder.i18n.js';
import { finderRoutes } from './finder.routes.js';
import * as mapI18n from './map.i18n.js';
import { territoryApi } from './territory.api.js';
import * as territoryI18n from './territory.i18n.js';
import { importTerritoryIfEmpty } from './territory.import.js';
import { territoryRoutes, type CommuneSolos } from './territory.routes.js';
export type { CommuneSolos } from './territory.routes.js';
import { territoryHomeHighlights, type CommuneLink, type NearbyPlacesProvider } from './territory.service.js';

export { importTerritory, importTerritoryIfEmpty, importDvfFile, type TerritoryImportReport, type DvfImportOutcome } from './territory.import.js';
export { canCorrectFigures, canImportData, commandLineActor } from './territory.policy.js';
export type { CommuneLink, NearbyPlace, NearbyPlacesProvider } from './territory.service.js';
export { listCommuneNames } from './finder.repo.js';
export { listCommunesForMap, findCommune, listEpcis, listDatasets, type CommuneRow, type DatasetSummary } from './territory.repo.js';
// For the site search (/recherche, search domain): French full-text and trigram match on commune names.
// For forms where people pick a village by name: part of a name, accents and case ignored.
export { searchCommunesForSite, searchCommunesByName } from './territory.repo.js';
export { FIGURES, FIGURE_BY_KEY, ACCESS_TARGETS, BPE_FIGURES, RELIABLE_SALES, type FigureKey, type AccessTarget } from './territory.figures.js';
export { haversineKm, estimateDriveMinutes, DRIVE_BANDS, DRIVE_METHOD, MIN_DRIVE_MINUTES } from './territory.geo.js';
// The finder, the comparison, the communes API and the maps. The commune profile can place a commune with
// `<LocatorMap territory={ctx.territory.slug} territoryName={ctx.territory.name} insee="32013" name="Auch" />`:
// a small inline SVG (role="img", named "Auch : situation dans le département (Gers)"), about 2 kB.
export { CommuneMap, LocatorMap, MAP_FIGURES, type MapFigure, type MapCommune, type MapCounts } from './map.js';
export { getMapGeometry } from './map.geometry.js';

/** Third places near a commune, for its profile: the places domain contributes them (no dependency between the two). */
export const nearbyPlacesPoint = extensionPoint<(ctx: AppContext) => NearbyPlacesProvider>('territory.nearbyPlaces');

/** Links other domains offer on each village's page and finder result (see CommuneLink). */
export const communeLinksPoint = extensionPoint<CommuneLink>('territory.communeLinks');
/**
 * Members living in a commune, for the village page's "solos" section: the members domain contributes it (the
 * territory knows nothing of members). The count must be public data: the page is cached for visitors.
 */
export const communeSolosPoint = extensionPoint<(ctx: AppContext, insee: string) => Promise<CommuneSolos>>('territory.communeSolos');

/** Sections other domains add to a village's page, keyed by its INSEE code (the events domain: events held there). */
export const communeSectionsPoint = extensionPoint<PublicSection<string, never>>('territory.communeSections');

export const territoryModule: DomainModule = {
  name: 'territory',
  catalogues: [mapI18n, finderI18n, territoryI18n],
  routes: async (app, ctx) => {
    const communeLinks = ctx.extensions.all(communeLinksPoint);
    await finderRoutes(app, ctx, { communeLinks });
    await territoryRoutes(app, ctx, { nearbyPlaces: ctx.extensions.all(nearbyPlacesPoint)[0]?.(ctx), communeLinks, solos: ctx.extensions.all(communeSolosPoint)[0], sections: ctx.extensions.all(communeSectionsPoint) });
  },
  api: async (api, ctx) => {
    await territoryApi(api, ctx);
    await finderApi(api, ctx);
  },
  nav: {
    main: [{ href: '/villages', key: 'site.nav.villages', order: 10 }],
    admin: [{ href: '/admin/territoire', key: 'territory.admin.nav', order: 40, roles: ['staff', 'admin'] }],
  },
  // The home page's computed figures (communes within an hour of Toulouse, a house in Auch against Toulouse...).
  contributes: [contribute(homeHighlightsPoint, territoryHomeHighlights)],
  // First start: the shipped open data of the territory (communes, figures, sources) is loaded once.
  seed: async ({ db, territory, now }): Promise<Record<string, number>> => {
    const imported = await importTerritoryIfEmpty(db, territory, { now });
    return imported ? { communes: imported.communes, importMs: imported.ms } : {};
  },
};
