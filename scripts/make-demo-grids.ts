/**
 * Builds resources/demo/guishan-demo-grids.json: made-up governance grids for the Guishan demo,
 * cut from the real GSHHG island polygons (Voronoi cells around invented grid centres, clipped to
 * the land). Run once by a developer: `npx tsx scripts/make-demo-grids.ts`; the output is committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import polygonClipping, { type MultiPolygon, type Polygon } from 'polygon-clipping';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const coast = JSON.parse(fs.readFileSync(path.join(root, 'resources/basemap/guishan-coast-gshhg.json'), 'utf8')) as {
  features: { properties: { id: string }; geometry: { type: 'Polygon'; coordinates: Polygon } }[];
};
const land = (id: string) => coast.features.find((f) => f.properties.id === id)!.geometry.coordinates;

/** Guishan Island proper (gshhg_f_2) and the islet off its south-east (gshhg_f_17) are cut into cells. */
const MAIN: MultiPolygon = [land('gshhg_f_2'), land('gshhg_f_17')];

interface Seed {
  code: string;
  name: string;
  community: string;
  workers: string[];
  at: [number, number];
}

const SEEDS: Seed[] = [
  { code: 'GS-01', name: '码头网格', community: '桂山社区', workers: ['何少华'], at: [113.8236, 22.1352] },
  { code: 'GS-02', name: '桂山村网格', community: '桂山村', workers: ['周敏'], at: [113.8195, 22.1335] },
  { code: 'GS-03', name: '企湾网格', community: '桂山村', workers: ['郑家豪'], at: [113.8135, 22.1295] },
  { code: 'GS-04', name: '大坑湾网格', community: '桂山社区', workers: ['罗美玲'], at: [113.8280, 22.1275] },
  { code: 'GS-05', name: '镇政府网格', community: '桂山社区', workers: ['陈志远'], at: [113.8215, 22.1375] },
  { code: 'GS-06', name: '渔港网格', community: '桂山社区', workers: ['梁海燕'], at: [113.8262, 22.1400] },
  { code: 'GS-07', name: '海滨栈道网格', community: '桂山村', workers: ['吴国栋'], at: [113.8160, 22.1390] },
  { code: 'GS-08', name: '南山网格', community: '桂山村', workers: ['林丽娟'], at: [113.8200, 22.1240] },
  { code: 'GS-09', name: '北山林地网格', community: '桂山村', workers: ['黄建新'], at: [113.8195, 22.1440] },
];

const COS_LAT = Math.cos((22.13 * Math.PI) / 180);

/** Keeps the side of the bisector nearer to `a` (Sutherland–Hodgman against one half-plane). */
function clipHalfPlane(ring: [number, number][], a: [number, number], b: [number, number]): [number, number][] {
  const side = (p: [number, number]) => {
    const da = ((p[0] - a[0]) * COS_LAT) ** 2 + (p[1] - a[1]) ** 2;
    const db = ((p[0] - b[0]) * COS_LAT) ** 2 + (p[1] - b[1]) ** 2;
    return db - da; // >= 0: nearer to a
  };
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    const sp = side(p);
    const sq = side(q);
    if (sp >= 0) out.push(p);
    if (sp >= 0 !== sq >= 0) {
      const t = sp / (sp - sq);
      out.push([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t]);
    }
  }
  return out;
}

const round = (mp: MultiPolygon): MultiPolygon =>
  mp.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [Math.round(x! * 1e6) / 1e6, Math.round(y! * 1e6) / 1e6] as [number, number])));

const features = SEEDS.map((seed) => {
  let cell: [number, number][] = [
    [113.79, 22.11],
    [113.85, 22.11],
    [113.85, 22.16],
    [113.79, 22.16],
  ];
  for (const other of SEEDS) if (other !== seed) cell = clipHalfPlane(cell, seed.at, other.at);
  const closed = [...cell, cell[0]!];
  const polygons = round(polygonClipping.intersection(MAIN, [[closed]]));
  if (!polygons.length) throw new Error(`grid ${seed.code}: its centre's cell misses the island; move the centre`);
  return { seed, polygons };
});

const whole = (id: string, code: string, name: string, community: string, workers: string[]) => ({
  seed: { code, name, community, workers, at: [0, 0] as [number, number] },
  polygons: round([land(id)]),
});
features.push(whole('gshhg_f_11', 'GS-10', '北岛网格', '桂山社区', ['许文杰']));
features.push(whole('gshhg_f_3', 'GS-11', '中心洲网格', '中心洲', ['邓永康']));

const out = {
  type: 'FeatureCollection',
  name: 'guishan_demo_grids',
  description: 'DEMO DATA: made-up governance grids for Guishan Town, cut from GSHHG coastline polygons (LGPL-3.0). Not real boundaries.',
  features: features.map(({ seed, polygons }) => ({
    type: 'Feature',
    properties: { code: seed.code, name: `${seed.name}（演示）`, community: seed.community, workers: seed.workers, demo: true },
    geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
  })),
};
fs.writeFileSync(path.join(root, 'resources/demo/guishan-demo-grids.json'), JSON.stringify(out) + '\n');
console.log(out.features.map((f) => `${f.properties.code} ${f.properties.name} ${f.geometry.type}`).join('\n'));
