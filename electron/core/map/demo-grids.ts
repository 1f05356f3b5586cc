import demoGrids from '../../../resources/demo/guishan-demo-grids.json' with { type: 'json' };
import { parseGridGeoJson, type ImportedGrid } from './grid-import';

/**
 * Made-up grids for the Guishan demo (scripts/make-demo-grids.ts cut them from the real GSHHG
 * island polygons). Parsed through the same validator as a town's own file.
 */
export function guishanDemoGrids(): ImportedGrid[] {
  return parseGridGeoJson(JSON.stringify(demoGrids), 'wgs84');
}
