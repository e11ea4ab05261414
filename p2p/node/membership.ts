// A peer belongs to our Tidepool network when identify shows it speaks our network's DHT protocol
// (Kademlia or Chord, fixed per network); a peer of our network running the other DHT is refused.
// Members are tagged keep-alive (libp2p persists the tag and redials them after a restart);
// strangers (IPFS nodes, other Tidepool networks) are hung up on.
import { KEEP_ALIVE, type IdentifyResult, type PeerId } from '@libp2p/interface'
import { dhtProtocol } from './network-name.ts'
import type { TidepoolNode } from './create-node.ts'
import { DHT_KINDS, type DhtKind } from '../config.ts'

export const MEMBER_TAG = `${KEEP_ALIVE}-tidepool-member`

export function isMember (protocols: readonly string[], network: string, dht: DhtKind = 'kademlia'): boolean {
  return protocols.includes(dhtProtocol(network, dht))
}

/** The DHT a peer of our network runs when it is not ours (so it must be refused), else undefined. */
export function otherDht (protocols: readonly string[], network: string, dht: DhtKind): DhtKind | undefined {
  return DHT_KINDS.find(kind => kind !== dht && protocols.includes(dhtProtocol(network, kind)))
}

export function wrongDhtMessage (peerId: string, network: string, theirs: DhtKind, ours: DhtKind): string {
  return `${peerId} runs ${theirs} but Tidepool network "${network}" uses ${ours} here: every peer of a network must use the same --dht`
}

export class Membership {
  /** Identify results of currently connected peers: libp2p identifies each new connection by itself. */
  private readonly identified = new Map<string, string[]>()
  private readonly waiters = new Set<(peerId: PeerId, protocols: string[]) => void>()
  private readonly node: TidepoolNode
  private readonly network: string
  private readonly dht: DhtKind
  private readonly log: (line: string) => void

  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const { peerId, protocols } = event.detail
    this.identified.set(peerId.toString(), protocols)
    for (const waiter of this.waiters) waiter(peerId, protocols)
    void this.admitOrRefuse(peerId, protocols).catch(err => { this.log(`membership check of ${peerId.toString()} failed: ${(err as Error).message}`) })
  }

  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => { this.identified.delete(event.detail.toString()) }

  constructor (node: TidepoolNode, network: string, log: (line: string) => void, dht: DhtKind = 'kademlia') {
    this.node = node
    this.network = network
    this.dht = dht
    this.log = log
    node.addEventListener('peer:identify', this.onIdentify)
    node.addEventListener('peer:disconnect', this.onDisconnect)
  }

  stop (): void {
    this.node.removeEventListener('peer:identify', this.onIdentify)
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
  }

  /** The protocols a connected peer announced, waiting for its identify if it hasn't arrived yet. */
  async protocolsOf (peerId: PeerId, signal: AbortSignal): Promise<string[]> {
    const known = this.identified.get(peerId.toString())
    if (known !== undefined) return known
    return await new Promise<string[]>((resolve, reject) => {
      const done = (): void => { this.waiters.delete(waiter); signal.removeEventListener('abort', onAbort) }
      const waiter = (id: PeerId, protocols: string[]): void => { if (id.equals(peerId)) { done(); resolve(protocols) } }
      const onAbort = (): void => { done(); reject(new Error('no identify answer in time')) }
      this.waiters.add(waiter)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  private async admitOrRefuse (peerId: PeerId, protocols: string[]): Promise<void> {
    if (isMember(protocols, this.network, this.dht)) {
      const peer = await this.node.peerStore.get(peerId).catch(() => undefined)
      if (peer?.tags.has(MEMBER_TAG) !== true) await this.node.peerStore.merge(peerId, { tags: { [MEMBER_TAG]: { value: 1 } } })
      return
    }
    const theirs = otherDht(protocols, this.network, this.dht)
    this.log(theirs !== undefined
      ? `hanging up on ${wrongDhtMessage(peerId.toString(), this.network, theirs, this.dht)}`
      : `hanging up on ${peerId.toString()}: not a peer of Tidepool network "${this.network}"`)
    await this.node.hangUp(peerId)
  }
}
