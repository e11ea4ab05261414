// Is this peer dialable from the internet? AutoNAT v2 (@libp2p/autonat-v2) asks other peers to dial our
// public-looking addresses back and marks the ones that worked as verified in libp2p's address manager;
// this service reads that verdict for the API. libp2p keeps no overall "reachability" of its own.
import { isPrivate } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'


/** The API's `reachability` (p2p/peers/api.ts holds its schema, checked against this). */
export type Reachability = 'public' | 'private' | 'unknown'

export interface ReachabilityStatus {
  reachability: Reachability
  /** Addresses others have dialled us on (AutoNAT), or that a router maps to us and AutoNAT confirmed. */
  publicAddrs: string[]
}

/** One entry of libp2p's address manager (NodeAddress in @libp2p/interface-internal). */
export interface AddressInfo {
  multiaddr: Multiaddr
  verified: boolean
  type: string
}

function isPublicIpAddress (addr: Multiaddr): boolean {
  const components = addr.getComponents()
  if (components.some(c => c.name === 'p2p-circuit')) return false
  return components.some(c => c.name === 'ip4' || c.name === 'ip6') && !isPrivate(addr)
}

/**
 * public: some public address is verified. unknown: a public address of our own (a listener, a router's
 * mapping) awaits AutoNAT's verdict. private: nothing public to offer. An unverified *observed* address
 * — what a NAT shows the peers we dial — counts for nothing: AutoNAT needs dial-backs from several
 * networks to confirm one, and behind a NAT it is typically an ephemeral port nobody can dial.
 */
export function reachabilityOf (addrs: readonly AddressInfo[]): ReachabilityStatus {
  const candidates = addrs.filter(a => isPublicIpAddress(a.multiaddr))
  const publicAddrs = [...new Set(candidates.filter(a => a.verified).map(a => a.multiaddr.toString()))]
  if (publicAddrs.length > 0) return { reachability: 'public', publicAddrs }
  return { reachability: candidates.some(a => a.type !== 'observed') ? 'unknown' : 'private', publicAddrs }
}

export interface ReachabilityComponents {
  addressManager: { getAddressesWithMetadata: () => AddressInfo[] }
}

export class ReachabilityService {
  private readonly components: ReachabilityComponents

  constructor (components: ReachabilityComponents) {
    this.components = components
  }

  status (): ReachabilityStatus {
    return reachabilityOf(this.components.addressManager.getAddressesWithMetadata())
  }
}

export function reachability (): (components: ReachabilityComponents) => ReachabilityService {
  return components => new ReachabilityService(components)
}
