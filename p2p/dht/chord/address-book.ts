// Where to reach the nodes routing may have to dial: the addresses a node announced (identify, notify)
// or was named with on the wire. Never a connection's remote address, which may be an ephemeral port.
import type { Libp2p, PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { MAX_ADDRS } from './protocol.ts'

/** Nodes whose addresses are kept at once; the least recently learned go first. */
export const MAX_ADDRESS_BOOK_NODES = 4096

export class ChordAddressBook {
  private readonly book = new Map<string, string[]>()
  private readonly node: Libp2p

  constructor (node: Libp2p) {
    this.node = node
  }

  /** Keeps a node's announced addresses (an empty list is not news and changes nothing). */
  set (peer: string, addrs: readonly string[]): void {
    if (peer === this.self || addrs.length === 0) return
    this.book.delete(peer)
    this.book.set(peer, addrs.slice(0, MAX_ADDRS))
    if (this.book.size > MAX_ADDRESS_BOOK_NODES) this.book.delete(this.book.keys().next().value!)
  }

  /** The addresses to pass on when we name peer to others (our own for ourselves). */
  addrsOf (peer: string): string[] {
    if (peer === this.self) return this.own()
    return this.book.get(peer) ?? []
  }

  own (): string[] {
    return this.node.getMultiaddrs().map(a => a.toString()).slice(0, MAX_ADDRS)
  }

  /** Before dialling a node we are not connected to, tell libp2p where it is. */
  async prepareDial (peerId: PeerId): Promise<void> {
    if (this.node.getConnections(peerId).length > 0) return
    const addrs = parseAddrs(this.book.get(peerId.toString()) ?? [])
    if (addrs.length > 0) await this.node.peerStore.merge(peerId, { multiaddrs: addrs })
  }

  private get self (): string {
    return this.node.peerId.toString()
  }
}

export function parseAddrs (texts: readonly string[]): Multiaddr[] {
  const out: Multiaddr[] = []
  for (const text of texts) {
    try { out.push(multiaddr(text)) } catch { /* a malformed address is skipped */ }
  }
  return out
}
