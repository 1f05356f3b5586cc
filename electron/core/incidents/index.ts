// The incidents domain's door: what other rooms of the core may import from electron/core/incidents.
export { IncidentStore, type Change } from './incident-store';
