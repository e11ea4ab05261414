// The Dht interface over @libp2p/kad-dht.
import type { AbortOptions, PeerInfo, PrivateKey } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { CID } from 'multiformats/cid'
import { DhtTimeoutError, type Dht, type DhtRecord, type LookupStats, type RoutingTableSummary } from '../index.ts'
import { bucketsByCommonPrefix, type KadPeer } from './buckets.ts'
import { decodeRecord, encodeRecord, recordKey } from './records.ts'
import { QueryDepth } from './query-depth.ts'
import { sha256 } from '@noble/hashes/sha2.js'

export const PROVIDE_TIMEOUT_MS = 30_000
export const FIND_PROVIDERS_TIMEOUT_MS = 30_000
export const DEFAULT_PROVIDER_LIMIT = 20
export const QUERY_TIMEOUT_MS = 30_000

/** The parts of kad-dht's routing table we read; not in its public interface, so checked at runtime. */
interface RoutingTableInternals extends EventTarget {
  size: number
  kb: { localPeer?: KadPeer, toIterable: () => Iterable<KadPeer> }
}

function routingTableOf (dht: KadDHT): RoutingTableInternals {
  const table = (dht as unknown as { routingTable?: unknown }).routingTable
  if (table == null || typeof table !== 'object' || !('kb' in table) || !(table instanceof EventTarget)) {
    throw new Error('@libp2p/kad-dht no longer exposes its routing table; update dht/kademlia')
  }
  return table as RoutingTableInternals
}

/**
 * Runs a DHT query until it ends, the caller aborts, or the timeout passes. We race the abort ourselves:
 * some kad-dht queries were seen to ignore their signal.
 */
async function runQuery<T> (ms: number, options: AbortOptions | undefined, query: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.any([AbortSignal.timeout(ms), ...(options?.signal != null ? [options.signal] : [])])
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => { reject(new DhtTimeoutError(`DHT query gave no answer within ${ms} ms`)) }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([query(signal), aborted])
  } finally {
    if (onAbort != null) signal.removeEventListener('abort', onAbort)
  }
}

/** Where kad-dht places a key: SHA-256 of its bytes, in hex. */
const kadIdHex = (key: Uint8Array): string => Buffer.from(sha256(key)).toString('hex')

/** The Dht interface over kad-dht; privateKey (the node's own) signs the records this peer puts. */
export function kademliaDht (dht: KadDHT, privateKey: PrivateKey): Dht {
  const table = routingTableOf(dht)
  const self = peerIdFromPrivateKey(privateKey).toString()
  return {
    kind: 'kademlia',

    async provide (key: CID, options?: AbortOptions): Promise<void> {
      await runQuery(PROVIDE_TIMEOUT_MS, options, async signal => {
        for await (const _event of dht.provide(key, { signal })) { /* drain: the query runs as we iterate */ }
      })
    },

    async findProviders (key: CID, options?: AbortOptions & { limit?: number }): Promise<PeerInfo[]> {
      const limit = options?.limit ?? DEFAULT_PROVIDER_LIMIT
      const found = new Map<string, PeerInfo>()
      const controller = new AbortController()
      const signal = AbortSignal.any([controller.signal, ...(options?.signal != null ? [options.signal] : [])])
      try {
        await runQuery(FIND_PROVIDERS_TIMEOUT_MS, { signal }, async querySignal => {
          for await (const event of dht.findProviders(key, { signal: querySignal })) {
            if (event.name !== 'PROVIDER') continue
            for (const provider of event.providers) found.set(provider.id.toString(), provider)
            if (found.size >= limit) { controller.abort(); return }
          }
        })
      } catch (err) {
        // Stopping early once we have enough, or a timeout after some answers, still answers the question.
        if (found.size === 0 || !(err instanceof DhtTimeoutError)) throw err
      }
      return [...found.values()].slice(0, limit)
    },

    async put (key: string, value: string, options?: AbortOptions): Promise<void> {
      await runQuery(QUERY_TIMEOUT_MS, options, async signal => {
        const record = await encodeRecord(privateKey, self, key, value)
        for await (const _event of dht.put(recordKey(key), record, { signal })) { /* drain */ }
      })
    },

    async get (key: string, options?: AbortOptions): Promise<DhtRecord[]> {
      try {
        return await runQuery(QUERY_TIMEOUT_MS, options, async signal => {
          for await (const event of dht.get(recordKey(key), { signal })) {
            if (event.name === 'VALUE') return [await decodeRecord(recordKey(key), event.value)]
          }
          return []
        })
      } catch (err) {
        if ((err as Error).name === 'NotFoundError') return []
        throw err
      }
    },

    async findPeer (peerId: string, options?: AbortOptions): Promise<PeerInfo | undefined> {
      const id = peerIdFromString(peerId)
      return await runQuery(QUERY_TIMEOUT_MS, options, async signal => {
        for await (const event of dht.findPeer(id, { signal })) {
          if (event.name === 'FINAL_PEER' && event.peer.id.equals(id)) return event.peer
        }
        return undefined
      }).catch(err => { if ((err as Error).name === 'NotFoundError') return undefined; throw err })
    },

    async lookup (key: string, options?: AbortOptions): Promise<LookupStats> {
      const started = Date.now()
      const target = new TextEncoder().encode(key)
      const path: LookupStats['path'] = []
      const found: LookupStats['found'] = []
      const depth = new QueryDepth()
      let contacted = 0
      await runQuery(QUERY_TIMEOUT_MS, options, async signal => {
        for await (const event of dht.getClosestPeers(target, { signal })) {
          if (event.name === 'SEND_QUERY') { contacted++; depth.asked(event.to.toString()) }
          if (event.name === 'PEER_RESPONSE') {
            path.push({ peer: event.from.toString() })
            depth.answered(event.from.toString(), event.closer.map(p => p.id.toString()))
          }
          if (event.name === 'FINAL_PEER') found.push({ peer: event.peer.id.toString() })
        }
      })
      return { key, target: kadIdHex(target), hops: depth.hops, contacted, ms: Date.now() - started, path, found }
    },

    summary (): RoutingTableSummary {
      const self = table.kb.localPeer
      return {
        mode: dht.getMode(),
        protocol: (dht as unknown as { protocol?: string }).protocol ?? 'unknown',
        routingTableSize: table.size,
        buckets: self == null ? [] : bucketsByCommonPrefix(self.kadId, table.kb.toIterable())
      }
    },

    onRoutingTableChange (listener: (size: number) => void): () => void {
      const onChange = (): void => { listener(table.size) }
      table.addEventListener('peer:add', onChange)
      table.addEventListener('peer:remove', onChange)
      return () => {
        table.removeEventListener('peer:add', onChange)
        table.removeEventListener('peer:remove', onChange)
      }
    }
  }
}
