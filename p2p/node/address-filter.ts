// Which addresses we hand to the DHT and accept from it. kad-dht's default drops every private address,
// which would make a LAN (Tidepool's home ground) invisible; we keep LAN addresses and drop only loopback,
// except on a test network, where all peers live on 127.0.0.1.
import type { PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { isLoopback } from '@libp2p/utils'

export function isUsableAddress (addr: Multiaddr, testNetwork: boolean): boolean {
  return testNetwork || !isLoopback(addr)
}

export function peerInfoMapper (testNetwork: boolean): (peer: PeerInfo) => PeerInfo {
  return peer => ({ ...peer, multiaddrs: peer.multiaddrs.filter(addr => isUsableAddress(addr, testNetwork)) })
}
