/** The third places drawn on the territory's outline (projected by the territory's own map geometry). */

export interface PlacesMapData {
  width: number;
  height: number;
  outline: string;
  points: { slug: string; name: string; commune: string; x: number; y: number; approximate: boolean }[];
}

export interface TerritoryOutline {
  width: number;
  height: number;
  outline: string;
  project(lon: number, lat: number): [number, number];
}

export function placesMap(outline: TerritoryOutline, places: { slug: string; name: string; commune_name: string; lat: number; lon: number; location_approximate: boolean }[]): PlacesMapData {
  return {
    width: outline.width,
    height: outline.height,
    outline: outline.outline,
    points: places.map((p) => {
      const [x, y] = outline.project(p.lon, p.lat);
      return { slug: p.slug, name: p.name, commune: p.commune_name, x, y, approximate: p.location_approximate };
    }),
  };
}
