// The contract room's door: the dispatcher, the event bus, and who is calling (sessions, the call scope).
export { Dispatcher, EventBus, mayReceive, type CallContext, type CallRecord, type DispatcherOptions, type EventListener, type Handlers } from './dispatcher';
export { actorOf, callScope, cosignRequired, requireCosign, type ActorRef, type CallScope, type ConnectionSlot, type SessionState } from './call';
