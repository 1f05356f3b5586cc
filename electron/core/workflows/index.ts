// The workflows domain's door: what other rooms of the core may import from electron/core/workflows.
export { UnitStore } from './unit-store';
export { seedGuishanUnits } from './demo-units';
