// Pure: group routing-table peers into classic Kademlia buckets by common-prefix length with our own id.
import type { PeerId } from '@libp2p/interface'
import type { RoutingBucket } from '../index.ts'

export interface KadPeer {
  kadId: Uint8Array
  peerId: PeerId
}

export function commonPrefixLength (a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = (a[i] ?? 0) ^ (b[i] ?? 0)
    if (x !== 0) return i * 8 + Math.clz32(x) - 24
  }
  return length * 8
}

export function bucketsByCommonPrefix (self: Uint8Array, peers: Iterable<KadPeer>): RoutingBucket[] {
  const buckets = new Map<number, string[]>()
  for (const peer of peers) {
    const cpl = commonPrefixLength(self, peer.kadId)
    const list = buckets.get(cpl) ?? []
    list.push(peer.peerId.toString())
    buckets.set(cpl, list)
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([commonPrefixLength, peers]) => ({ commonPrefixLength, peers: peers.sort() }))
}
