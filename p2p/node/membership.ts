// A peer belongs to our Tidepool network when identify shows it speaks our network's Kademlia protocol.
// Members are tagged keep-alive (libp2p persists the tag and redials them after a restart);
// strangers (IPFS nodes, other Tidepool networks) are hung up on.
import { KEEP_ALIVE, type IdentifyResult, type PeerId } from '@libp2p/interface'
import { kademliaProtocol } from './network-name.ts'
import type { TidepoolNode } from './create-node.ts'

export const MEMBER_TAG = `${KEEP_ALIVE}-tidepool-member`

export function isMember (protocols: readonly string[], network: string): boolean {
  return protocols.includes(kademliaProtocol(network))
}

export class WrongNetworkError extends Error {
  override name = 'WrongNetworkError'
}

export function watchMembership (node: TidepoolNode, network: string, log: (line: string) => void): () => void {
  const onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    void admitOrRefuse(node, network, event.detail, log).catch(err => log(`membership check of ${event.detail.peerId.toString()} failed: ${(err as Error).message}`))
  }
  node.addEventListener('peer:identify', onIdentify)
  return () => node.removeEventListener('peer:identify', onIdentify)
}

export async function admitOrRefuse (node: TidepoolNode, network: string, result: Pick<IdentifyResult, 'peerId' | 'protocols'>, log: (line: string) => void): Promise<void> {
  if (isMember(result.protocols, network)) {
    await tagMember(node, result.peerId)
    return
  }
  log(`hanging up on ${result.peerId.toString()}: not a peer of Tidepool network "${network}"`)
  await node.hangUp(result.peerId)
}

async function tagMember (node: TidepoolNode, peerId: PeerId): Promise<void> {
  const peer = await node.peerStore.get(peerId).catch(() => undefined)
  if (peer?.tags.has(MEMBER_TAG) === true) return
  await node.peerStore.merge(peerId, { tags: { [MEMBER_TAG]: { value: 1 } } })
}
