// libp2p 3.3.11 runs each stream through the middleware registered for its protocol, and for an inbound
// stream first appends the protocol's handler to the array the registrar keeps (`connection.js`
// onIncomingStream: `getMiddleware(protocol).push(…)`) — the registrar's own array. With a middleware
// registered, every later stream of that protocol, outbound ones too, then ran every handler pushed so
// far: Kademlia answered its own requests and lookups lost their answers. Handing each caller its own
// copy makes that push harmless. Checked, so a libp2p whose registrar changed fails loudly.
import type { Libp2p, StreamMiddleware } from '@libp2p/interface'

interface MiddlewareRegistrar { getMiddleware: (protocol: string) => StreamMiddleware[] }

export function copyMiddlewarePerStream (node: Libp2p): void {
  const registrar = (node as unknown as { components?: { registrar?: Partial<MiddlewareRegistrar> } }).components?.registrar
  if (registrar === undefined || typeof registrar.getMiddleware !== 'function') {
    throw new Error('libp2p changed: its registrar has no getMiddleware to copy (p2p/node/middleware-copies.ts)')
  }
  const original = registrar.getMiddleware.bind(registrar)
  registrar.getMiddleware = (protocol: string) => [...original(protocol)]
}
