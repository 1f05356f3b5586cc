// The map domain's door: what other rooms of the core may import from electron/core/map.
export { guishanDemoGrids } from './demo-grids';
export { GridStore } from './grid-store';
export { parseGridGeoJson } from './grid-import';
