import type { TFunction } from 'i18next';

/** "outer ring", "hole 2", "… of polygon 1" → the operator's language. */
function ringName(text: string, t: TFunction): string {
  const match = text.match(/^(outer ring|hole (\d+))(?: of polygon (\d+))?$/);
  if (!match) return text;
  const base = match[2] ? t('map.problems.hole', { n: match[2] }) : t('map.problems.outer');
  return match[3] ? `${base}${t('map.problems.ofPolygon', { n: match[3] })}` : base;
}

function problem(text: string, t: TFunction): string {
  let m: RegExpMatchArray | null;
  if (text === 'is not a GeoJSON Feature') return t('map.problems.notFeature');
  if (text.startsWith('has no grid code')) return t('map.problems.noCode');
  if (text.startsWith('grid code longer')) return t('map.problems.longCode');
  if ((m = text.match(/^duplicate grid code "(.*)" \(also feature (\d+)\)$/))) return t('map.problems.duplicate', { code: m[1], other: m[2] });
  if (text === 'has no geometry') return t('map.problems.noGeometry');
  if ((m = text.match(/^geometry is (\S+); only Polygon/))) return t('map.problems.notPolygon', { type: m[1] });
  if (text === 'has an empty geometry' || text === 'a polygon has no rings') return t('map.problems.emptyGeometry');
  if ((m = text.match(/^(.*) is not closed/))) return t('map.problems.notClosed', { ring: ringName(m[1]!, t) });
  if ((m = text.match(/^(.*) has (\d+) positions; a closed ring needs at least 4$/))) return t('map.problems.tooFew', { ring: ringName(m[1]!, t), count: m[2] });
  if ((m = text.match(/^(.*) intersects itself \(segments (\d+) and (\d+), near (\[.*\])\)$/)))
    return t('map.problems.selfIntersect', { ring: ringName(m[1]!, t), a: m[2], b: m[3], near: m[4] });
  if ((m = text.match(/^(.*), position (\d+) (\[.*?\]) is out of range/))) return t('map.problems.outOfRange', { ring: ringName(m[1]!, t), index: m[2], position: m[3] });
  if ((m = text.match(/^(.*), position (\d+) is not a \[longitude, latitude\] pair/))) return t('map.problems.notPosition', { ring: ringName(m[1]!, t), index: m[2] });
  return text;
}

/**
 * One refusal of the grid importer (electron/core/map/grid-import.ts), e.g.
 * "feature 3 (GS-04): outer ring is not closed …", in the operator's language.
 */
export function translateImportProblem(message: string, t: TFunction): string {
  const text = message.replace(/^grid file refused, nothing was changed: /, '').replace(/ \(and \d+ more problems?\)$/, '');
  // The refusal's message, or the short word of its issue.
  if (text.startsWith('not a GeoJSON file') || text === 'not valid JSON') return t('map.problems.notJson');
  if (text.startsWith('not a GeoJSON FeatureCollection') || text === 'not a FeatureCollection') return t('map.problems.notCollection');
  if (text === 'the file has no features' || text === 'empty') return t('map.problems.empty');
  if (/^the file has \d+ features/.test(text) || text === 'too many features') return t('map.problems.tooMany');
  if (text === 'file too large') return t('map.problems.tooLarge');
  const m = text.match(/^feature (\d+)(?: \((.*?)\))?: (.*)$/s);
  if (!m) return message;
  return t('map.problems.feature', { index: m[1], code: m[2] ? `（${m[2]}）` : '', problem: problem(m[3]!, t) });
}
