// The event log's door: what other rooms of the core may import from electron/core/events.
export { EventLog, type AppendedEvent } from './event-log';
