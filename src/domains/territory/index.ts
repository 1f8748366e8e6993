/** The territory guide: communes and their figures, sources, corrections. Other domains use only this file. */
export { importTerritory, importTerritoryIfEmpty, importDvfFile, type TerritoryImportReport, type DvfImportOutcome } from './territory.import.js';
export { canCorrectFigures, canImportData, commandLineActor } from './territory.policy.js';
export { territoryRoutes, type TerritoryRoutesOptions } from './territory.routes.js';
export { territoryApi } from './territory.api.js';
export type { NearbyPlace, NearbyPlacesProvider, TerritoryHighlights } from './territory.service.js';
export { getTerritoryHighlights } from './territory.service.js';
export { listCommunesForMap, findCommune, listEpcis, listDatasets, type CommuneRow, type DatasetSummary } from './territory.repo.js';
// For the site search (/recherche, search domain): French full-text and trigram match on commune names.
export { searchCommunesForSite } from './territory.repo.js';
export { FIGURES, FIGURE_BY_KEY, ACCESS_TARGETS, BPE_FIGURES, RELIABLE_SALES, type FigureKey, type AccessTarget } from './territory.figures.js';
export { haversineKm, estimateDriveMinutes, ROAD_DETOUR_FACTOR, AVERAGE_SPEED_KMH } from './territory.geo.js';
// The finder, the comparison, the communes API and the maps. The commune profile can place a commune with
// `<LocatorMap territory={ctx.territory.slug} territoryName={ctx.territory.name} insee="32013" name="Auch" />`:
// a small inline SVG (role="img", named "Auch : situation dans le département (Gers)"), about 2 kB.
export { finderRoutes } from './finder.routes.js';
export { finderApi } from './finder.api.js';
export { CommuneMap, LocatorMap, MAP_FIGURES, type MapFigure, type MapCommune, type MapCounts } from './map.js';
export { getMapGeometry } from './map.geometry.js';
