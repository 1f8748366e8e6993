/**
 * The territory's commune boundaries, turned once into compact SVG path strings kept in memory.
 *
 * Source: data/territories/<slug>/<slug>-communes.geojson (WGS84). Read once, on first use (the finder warms it at
 * start), never per request.
 *
 * Projection: equirectangular with the longitude scaled by cos(φ0), φ0 being the middle latitude of the territory.
 * A département spans less than a degree of latitude (the Gers: 43.31° → 44.08°), so the scale error at its north and
 * south edges is under 0.7 % and shapes look the way people know them from road maps. A conformal projection
 * (Lambert-93, the official French one) would change nothing visible at this size and needs far more code.
 *
 * Simplification keeps the map light (the whole SVG must stay far under 150 kB compressed) without opening gaps
 * between neighbours: borders are cut into arcs at the points where the set of communes sharing them changes, each
 * arc is simplified once with Douglas–Peucker (in a canonical direction, so both neighbours get exactly the same
 * points), then every point is rounded to a grid of one map unit. Paths use relative, implicit line-to commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootDir } from '../../shared/paths.js';

/** Map width in SVG user units; height follows the territory's shape. One unit is about 120 m in the Gers. */
export const MAP_WIDTH = 1000;
/** Douglas–Peucker tolerance, in map units, for the full map and for the small locator outline. */
const TOLERANCE = 0.7;
const OUTLINE_TOLERANCE = 4;
const PAD = 4;

export interface CommuneShape {
  insee: string;
  name: string;
  /** Population written in the boundary file: only used to choose which towns get an orientation label. */
  population: number;
  /** SVG path data in map units. */
  d: string;
  /** Area-weighted centre of the largest part, in map units (for labels and markers). */
  cx: number;
  cy: number;
  /** Bounding box in map units. */
  box: [number, number, number, number];
}

export interface MapGeometry {
  width: number;
  height: number;
  communes: CommuneShape[];
  /** The same, most populated first (for orientation labels). */
  byPopulation: CommuneShape[];
  byInsee: ReadonlyMap<string, CommuneShape>;
  /** The territory's outer boundary, simplified harder: the locator map draws it small. */
  outline: string;
  project(lon: number, lat: number): [number, number];
}

type Ring = [number, number][];
interface Feature {
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

const dataDir = path.join(rootDir, 'data', 'territories');
export const communesGeoJsonPath = (slug: string) => path.join(dataDir, slug, `${slug}-communes.geojson`);

const loaded = new Map<string, MapGeometry>();

/** The map of a territory, built on the first call and kept for the life of the process. */
export function getMapGeometry(slug: string): MapGeometry {
  let geometry = loaded.get(slug);
  if (!geometry) {
    const file = communesGeoJsonPath(slug);
    // A territory that ships no boundaries yet gets an empty map (its pages show the data table only).
    geometry = existsSync(file) ? buildMapGeometry(JSON.parse(readFileSync(file, 'utf8')) as { features: Feature[] }) : buildMapGeometry({ features: [] });
    loaded.set(slug, geometry);
  }
  return geometry;
}

export function buildMapGeometry(collection: { features: Feature[] }): MapGeometry {
  const features = collection.features;
  if (!features.length) return { width: MAP_WIDTH, height: 0, communes: [], byPopulation: [], byInsee: new Map(), outline: '', project: () => [0, 0] };
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  const polygonsOf = (f: Feature): Ring[][] => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);
  for (const f of features)
    for (const poly of polygonsOf(f))
      for (const ring of poly)
        for (const [lon, lat] of ring) {
          if (lon < minLon) minLon = lon;
          if (lon > maxLon) maxLon = lon;
          if (lat < minLat) minLat = lat;
          if (lat > maxLat) maxLat = lat;
        }
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = (MAP_WIDTH - 2 * PAD) / ((maxLon - minLon) * kx);
  const height = Math.ceil((maxLat - minLat) * scale + 2 * PAD);
  const project = (lon: number, lat: number): [number, number] => [PAD + (lon - minLon) * kx * scale, PAD + (maxLat - lat) * scale];

  // Every ring of every commune, as projected points and exact vertex keys (the source's own coordinates).
  interface RingData {
    feature: number;
    keys: string[];
    pts: [number, number][];
  }
  const rings: RingData[] = [];
  const ringsOfFeature: number[][][] = features.map(() => []);
  features.forEach((f, fi) => {
    for (const poly of polygonsOf(f)) {
      const ids: number[] = [];
      for (const ring of poly) {
        // GeoJSON rings repeat their first point at the end: drop it, rings are closed with "z".
        const open = ring.length > 1 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
        ids.push(rings.length);
        rings.push({ feature: fi, keys: open.map(([x, y]) => `${x},${y}`), pts: open.map(([x, y]) => project(x, y)) });
      }
      ringsOfFeature[fi].push(ids);
    }
  });

  // Which rings hold each vertex; a vertex is an arc end where that set changes along any ring.
  const holders = new Map<string, number[]>();
  rings.forEach((r, ri) => {
    for (const k of r.keys) {
      const list = holders.get(k);
      if (!list) holders.set(k, [ri]);
      else if (list.at(-1) !== ri) list.push(ri);
    }
  });
  const signature = (k: string) => holders.get(k)!.join(' ');
  const fixed = new Set<string>();
  for (const r of rings) {
    const n = r.keys.length;
    for (let i = 0; i < n; i++) {
      const k = r.keys[i];
      const s = signature(k);
      if (holders.get(k)!.length > 2 || s !== signature(r.keys[(i + n - 1) % n]) || s !== signature(r.keys[(i + 1) % n])) fixed.add(k);
    }
  }

  const simplifyRing = (r: RingData, tolerance: number, isFixed: (k: string) => boolean): [number, number][] => {
    const n = r.keys.length;
    let anchors: number[] = [];
    for (let i = 0; i < n; i++) if (isFixed(r.keys[i])) anchors.push(i);
    if (anchors.length < 2) {
      // A ring with no arc end (an island, or a commune enclosed by one other): pick anchors that any ring made of
      // the same points would pick too: the smallest key and the point farthest from it.
      const first = anchors.length ? anchors[0] : r.keys.reduce((best, k, i) => (k < r.keys[best] ? i : best), 0);
      let far = first === 0 ? 1 : 0;
      for (let i = 0; i < n; i++) if (dist2(r.pts[i], r.pts[first]) > dist2(r.pts[far], r.pts[first])) far = i;
      anchors = [first, far].sort((a, b) => a - b);
    }
    const out: [number, number][] = [];
    for (let a = 0; a < anchors.length; a++) {
      const from = anchors[a];
      const to = a + 1 < anchors.length ? anchors[a + 1] : anchors[0] + n;
      const idx: number[] = [];
      for (let i = from; i <= to; i++) idx.push(i % n);
      // Same arc, same result on both sides: always simplify from the smaller key to the larger one.
      const reversed = r.keys[idx[0]] > r.keys[idx.at(-1)!];
      if (reversed) idx.reverse();
      const kept = douglasPeucker(idx.map((i) => r.pts[i]), tolerance);
      if (reversed) kept.reverse();
      kept.pop(); // the next arc starts with it
      out.push(...kept);
    }
    return out;
  };

  const communes: CommuneShape[] = features.map((f, fi) => {
    let d = '';
    let best = { area: -1, cx: 0, cy: 0 };
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const poly of ringsOfFeature[fi]) {
      poly.forEach((ri, index) => {
        const pts = dedupe(simplifyRing(rings[ri], TOLERANCE, (k) => fixed.has(k)).map(([x, y]) => [Math.round(x), Math.round(y)] as [number, number]));
        if (pts.length < 3) return;
        d += pathOf(pts);
        for (const [x, y] of pts) {
          box[0] = Math.min(box[0], x);
          box[1] = Math.min(box[1], y);
          box[2] = Math.max(box[2], x);
          box[3] = Math.max(box[3], y);
        }
        if (index === 0) {
          const c = centroid(rings[ri].pts);
          if (c.area > best.area) best = c;
        }
      });
    }
    const p = f.properties;
    return {
      insee: String(p.code),
      name: String(p.nom ?? p.code),
      population: Number(p.population ?? 0) || 0,
      d,
      cx: Math.round(best.cx),
      cy: Math.round(best.cy),
      box,
    };
  });

  return {
    width: MAP_WIDTH,
    height,
    communes,
    byPopulation: [...communes].sort((a, b) => b.population - a.population),
    byInsee: new Map(communes.map((c) => [c.insee, c])),
    outline: outlineOf(rings),
    project,
  };

  /** The territory's boundary: the edges that belong to one ring only, chained back into rings. */
  function outlineOf(all: RingData[]): string {
    const edgeCount = new Map<string, number>();
    const edgeKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
    for (const r of all) for (let i = 0; i < r.keys.length; i++) {
      const k = edgeKey(r.keys[i], r.keys[(i + 1) % r.keys.length]);
      edgeCount.set(k, (edgeCount.get(k) ?? 0) + 1);
    }
    const next = new Map<string, string>();
    const point = new Map<string, [number, number]>();
    for (const r of all) for (let i = 0; i < r.keys.length; i++) {
      const a = r.keys[i], b = r.keys[(i + 1) % r.keys.length];
      if (edgeCount.get(edgeKey(a, b)) === 1) {
        next.set(a, b);
        point.set(a, r.pts[i]);
      }
    }
    let d = '';
    const seen = new Set<string>();
    for (const start of next.keys()) {
      if (seen.has(start)) continue;
      const keys: string[] = [];
      for (let k: string | undefined = start; k !== undefined && !seen.has(k); k = next.get(k)) {
        seen.add(k);
        keys.push(k);
      }
      if (keys.length < 3) continue;
      const ring: RingData = { feature: -1, keys, pts: keys.map((k) => point.get(k)!) };
      const pts = dedupe(simplifyRing(ring, OUTLINE_TOLERANCE, () => false).map(([x, y]) => [Math.round(x), Math.round(y)] as [number, number]));
      if (pts.length >= 3) d += pathOf(pts);
    }
    return d;
  }
}

const dist2 = (a: [number, number], b: [number, number]) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

function douglasPeucker(pts: [number, number][], tolerance: number): [number, number][] {
  if (pts.length <= 2) return pts.slice();
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack: [number, number][] = [[0, pts.length - 1]];
  const t2 = tolerance * tolerance;
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const [ax, ay] = pts[i];
    const [bx, by] = pts[j];
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1, worstD = 0;
    for (let k = i + 1; k < j; k++) {
      const [px, py] = pts[k];
      let d2: number;
      if (len2 === 0) d2 = (px - ax) ** 2 + (py - ay) ** 2;
      else {
        const cross = dx * (py - ay) - dy * (px - ax);
        d2 = (cross * cross) / len2;
      }
      if (d2 > worstD) {
        worstD = d2;
        worst = k;
      }
    }
    if (worst > 0 && worstD > t2) {
      keep[worst] = 1;
      stack.push([i, worst], [worst, j]);
    }
  }
  return pts.filter((_, k) => keep[k]);
}

function dedupe(pts: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of pts) {
    const last = out.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out.at(-1)![0] && out[0][1] === out.at(-1)![1]) out.pop();
  return out;
}

/** "M x y l dx dy dx dy … z": relative moves are 2–4 characters each on a one-unit grid. */
function pathOf(pts: [number, number][]): string {
  let d = `M${pts[0][0]} ${pts[0][1]}l`;
  for (let i = 1; i < pts.length; i++) {
    const dx = pts[i][0] - pts[i - 1][0];
    const dy = pts[i][1] - pts[i - 1][1];
    d += (i === 1 || dx < 0 ? '' : ' ') + dx + (dy < 0 ? '' : ' ') + dy;
  }
  return d + 'z';
}

function centroid(pts: [number, number][]): { area: number; cx: number; cy: number } {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i];
    const [x1, y1] = pts[(i + 1) % pts.length];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (a === 0) return { area: 0, cx: pts[0][0], cy: pts[0][1] };
  return { area: Math.abs(a / 2), cx: cx / (3 * a), cy: cy / (3 * a) };
}
