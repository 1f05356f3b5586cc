import { describe, expect, it } from 'vitest';
import { ContractError } from '@shared';
import { issueMessage } from '../../../renderer/src/app/errors';
import { parseGridGeoJson } from '../../../electron/core/map/grid-import';
import { translator } from '../../support/translator';

const t = await translator('zh-CN');

/** Every refusal the importer produces carries a reason: the operator reads it in Chinese, and no English leaks. */
function refusals(source: string): string[] {
  try {
    parseGridGeoJson(source, 'wgs84');
  } catch (error) {
    const e = error as ContractError;
    expect(e.reason, e.message).toBeTruthy();
    expect(e.issues.every((i) => i.reason), e.message).toBe(true);
    return e.issues.map((issue) => issueMessage(issue, t));
  }
  throw new Error('expected a refusal');
}

const square = [[113.81, 22.12], [113.82, 22.12], [113.82, 22.13], [113.81, 22.13], [113.81, 22.12]];
const feature = (code: unknown, geometry: unknown) => ({ type: 'Feature', properties: { code }, geometry });
const doc = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('grid import problems in the operator’s language', () => {
  it.each([
    ['not JSON', '{', '不是 GeoJSON 文件'],
    ['not a collection', '{"type":"Feature"}', '不是 GeoJSON 要素集合'],
    ['empty', doc(), '没有任何要素'],
    ['not a polygon', doc(feature('L', { type: 'LineString', coordinates: [[1, 2], [3, 4]] })), '第 0 个要素（L）：几何类型为 LineString'],
    ['no geometry', doc(feature('N', null)), '第 0 个要素（N）：没有几何图形'],
    ['no code', doc(feature('', { type: 'Polygon', coordinates: [square] })), '第 0 个要素：缺少网格编码'],
    ['duplicate', doc(feature('D', { type: 'Polygon', coordinates: [square] }), feature('D', { type: 'Polygon', coordinates: [square] })), '第 1 个要素（D）：网格编码“D”重复（与第 0 个要素相同）'],
    ['open ring', doc(feature('O', { type: 'Polygon', coordinates: [square.slice(0, 4)] })), '外环未闭合'],
    ['too few', doc(feature('F', { type: 'Polygon', coordinates: [[square[0], square[1], square[0]]] })), '外环只有 3 个点'],
    ['self-intersecting hole', doc(feature('X', { type: 'Polygon', coordinates: [square, [[113.812, 22.122], [113.815, 22.125], [113.815, 22.122], [113.812, 22.125], [113.812, 22.122]]] })), '第 1 个内环（洞）自相交'],
    ['out of range', doc(feature('R', { type: 'Polygon', coordinates: [square.map(([x, y]) => [y, x])] })), '外环第 0 个点 [22.12, 113.81] 超出经纬度范围'],
    ['not a number', doc(feature('S', { type: 'Polygon', coordinates: [[['a', 'b'], ...square.slice(1)]] })), '外环第 0 个点不是 [经度, 纬度] 数字对'],
  ])('%s', (_label, source, expected) => {
    const texts = refusals(source);
    for (const text of texts) expect(text).not.toMatch(/\b(feature|ring|hole|position|geometry|grid code|closed|intersects|valid JSON|range)\b/);
    expect(texts[0]).toContain(expected);
  });
});
