// Chooses the network's DHT (config.dht) and starts it on the node: Kademlia is a libp2p service the
// node already runs (its serving side's faults are watched here, kademlia/conduct.ts); Chord is started
// here, on the node's connections and the app database.
import type { AppDatabase } from '../store/app-store.ts'
import type { PrivateKey } from '@libp2p/interface'
import type { Config } from '../config.ts'
import type { TidepoolNode } from '../node/create-node.ts'
import type { PeerConduct } from '../node/peer-conduct.ts'
import { chordProtocol, kademliaProtocol } from '../node/network-name.ts'
import type { Dht } from './index.ts'
import { kademliaDht } from './kademlia/index.ts'
import { watchKademliaStreams } from './kademlia/conduct.ts'
import { ChordDht } from './chord/service.ts'

export interface RunningDht {
  dht: Dht
  stop: () => Promise<void>
}

export async function startDht (config: Pick<Config, 'dht' | 'network'>, node: TidepoolNode, privateKey: PrivateKey, db: AppDatabase, log: (line: string) => void, conduct?: PeerConduct): Promise<RunningDht> {
  if (config.dht === 'chord') {
    const refused = conduct === undefined ? undefined : (peer: string, err: Error): void => { conduct.streamFailed(peer, chordProtocol(config.network), err) }
    const chord = new ChordDht(node, db, { network: config.network, privateKey, log, refused })
    await chord.start()
    return { dht: chord, stop: async () => { await chord.stop() } }
  }
  const kad = node.services.dht
  if (kad === undefined) throw new Error('a Kademlia network\'s node must run the kad-dht service')
  const protocol = kademliaProtocol(config.network)
  const unwatch = conduct === undefined ? () => {} : watchKademliaStreams(node, protocol, (peer, err) => { conduct.streamFailed(peer, protocol, err) })
  return { dht: kademliaDht(kad, privateKey), stop: async () => { unwatch() } }
}
