// The contract room's door: what other rooms of the core may import from electron/core/contract.
export { Dispatcher, EventBus, type CallContext, type DispatcherOptions, type EventListener, type Handlers } from './dispatcher';
