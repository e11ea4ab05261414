// Everything that keeps one Tidepool network apart from another (and from IPFS) derives from its name.
import type { DhtKind } from '../config.ts'

export function kademliaProtocol (network: string): string {
  return `/tidepool/${network}/kad/1.0.0`
}

export function chordProtocol (network: string): string {
  return `/tidepool/${network}/chord/1.0.0`
}

/** The routing protocol every peer of a network speaks: the network's DHT kind is fixed. */
export function dhtProtocol (network: string, dht: DhtKind): string {
  return dht === 'chord' ? chordProtocol(network) : kademliaProtocol(network)
}

/** mDNS service names are DNS labels; a per-network tag means other networks never even answer. */
export function mdnsServiceTag (network: string): string {
  return `_tidepool-${network}._udp.local`
}

export function datastorePrefix (network: string): string {
  return `/tidepool/${network}/dht`
}
