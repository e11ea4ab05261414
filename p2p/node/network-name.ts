// Everything that keeps one Tidepool network apart from another (and from IPFS) derives from its name.
export function kademliaProtocol (network: string): string {
  return `/tidepool/${network}/kad/1.0.0`
}

/** mDNS service names are DNS labels; a per-network tag means other networks never even answer. */
export function mdnsServiceTag (network: string): string {
  return `_tidepool-${network}._udp.local`
}

export function datastorePrefix (network: string): string {
  return `/tidepool/${network}/dht`
}
