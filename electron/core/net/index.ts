// The net floor's door: what other rooms of the core may import from electron/core/net.
export { LOOPBACK_HOST, hostAllowed, isLoopbackBind, originAllowed } from './host-rules';
