// The city link's door: what the composition root and other rooms may import from electron/core/uplink.
export { uplinkModule, type UplinkModule, type UplinkOptions } from './handlers';
export { startDemoCity } from './demo-city';
export type { LinkTimings } from './timings';
