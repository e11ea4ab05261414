// Our /p2p-circuit addresses are as good as the reservations behind them. The relay listener marks each
// one verified when its reservation is made — for libp2p's default 10 minutes; after that AutoNAT counts
// it unverified and asks peers to dial it back through the relay: a relayed connection (one of the
// relay's few slots) and 30–100 kB of dial data, to prove what the reservation already proves. So every
// circuit address still listed (the listener withdraws one when its reservation goes) is confirmed again
// before it expires. Libp2p's own judgement, kept alive — never an address it had not confirmed.
import type { Startable } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Is this address relayed (through a /p2p-circuit)? */
export function isRelayedAddr (addr: { toString: () => string }): boolean {
  return addr.toString().includes('/p2p-circuit')
}

/** Well inside libp2p's 10-minute verification TTL. */
export const RECONFIRM_MS = 4 * 60_000

type AddressInfo = ReturnType<AddressManager['getAddressesWithMetadata']>[number]

/** The circuit addresses to confirm again: our relay listener's, still verified. */
export function circuitAddressesToKeep (addrs: readonly AddressInfo[]): Multiaddr[] {
  return addrs.filter(a => a.type === 'transport' && a.verified && isRelayedAddr(a.multiaddr)).map(a => a.multiaddr)
}

export interface CircuitAddressComponents {
  addressManager: Pick<AddressManager, 'getAddressesWithMetadata' | 'confirmObservedAddr'>
}

export class CircuitAddressKeeper implements Startable {
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly components: CircuitAddressComponents

  constructor (components: CircuitAddressComponents) {
    this.components = components
  }

  start (): void {
    this.timer = setInterval(() => { this.confirm() }, RECONFIRM_MS)
    this.timer.unref()
  }

  stop (): void {
    clearInterval(this.timer)
  }

  private confirm (): void {
    const { addressManager } = this.components
    for (const addr of circuitAddressesToKeep(addressManager.getAddressesWithMetadata())) addressManager.confirmObservedAddr(addr, { type: 'transport' })
  }
}

export function circuitAddressKeeper (): (components: CircuitAddressComponents) => CircuitAddressKeeper {
  return components => new CircuitAddressKeeper(components)
}
