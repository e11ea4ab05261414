// The ledger's keys in its LevelDB sublevel, and an overlay of the unspent outputs that collects one
// batch: a block connect, a disconnect, or a whole reorg is committed as a single atomic write.
//
//   h!<hash>            header entry (JSON): header, height, chain work, status, tx count
//   b!<hash>            block bytes
//   x!<hash>            undo data: the coins the block spent (JSON)
//   u!<txid>:<index>    an unspent output (JSON Coin)
//   a!<pkh>!<outpoint>  index of unspent outputs by owner (empty value)
//   t!<pkh>!<txid>      a transaction touching an owner on the main chain: height, block, net amount
//   tip                 the hash of the main chain's tip
import type { AbstractSublevel } from 'abstract-level'
import type { Coin } from '../rules/tx.ts'
import { BoundedCache } from '../rules/bounded-cache.ts'
import type { BlockHeader } from '../rules/codec.ts'
import type { HeaderEntry } from '../rules/header-chain.ts'

export type LedgerDb = AbstractSublevel<any, any, string, Uint8Array>

/** 'stored': the body is on disk but has not been connected; 'valid': it connected once; 'invalid': never again. */
export type BlockStatus = 'stored' | 'valid' | 'invalid'

export interface ChainEntry extends HeaderEntry {
  header: BlockHeader
  txCount: number
  status: BlockStatus
}

export interface HistoryRecord {
  txid: string
  height: number
  block: string
  /** Net change to the owner's funds, in units. */
  amount: number
}

export type BatchOp = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

export const key = {
  entry: (hash: string) => `h!${hash}`,
  block: (hash: string) => `b!${hash}`,
  undo: (hash: string) => `x!${hash}`,
  coin: (outpoint: string) => `u!${outpoint}`,
  owned: (pkh: string, outpoint: string) => `a!${pkh}!${outpoint}`,
  history: (pkh: string, txid: string) => `t!${pkh}!${txid}`,
  tip: 'tip'
}

/** Coins, undo data, history: hundreds a block, so JSON's fast path (no replacer) and no encoder object each. */
export function json (value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value))
}

const decoder = new TextDecoder()

export function parseJson<T> (bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T
}

export function encodeEntry (entry: ChainEntry): Uint8Array {
  return Buffer.from(JSON.stringify(entry, (_, v) => typeof v === 'bigint' ? `0x${v.toString(16)}` : v))
}

export function decodeEntry (bytes: Uint8Array): ChainEntry {
  const raw = parseJson<ChainEntry & { chainWork: string }>(bytes)
  return { ...raw, chainWork: BigInt(raw.chainWork) }
}

/**
 * Unspent outputs as last committed, the newest first kept: a block mostly spends outputs of the last few,
 * which are then neither read from LevelDB nor parsed. Holds only what a committed batch wrote (a coin
 * added, or none for one spent), so it never disagrees with the store; a coin it lacks is read from disk.
 */
export const COIN_CACHE_ENTRIES = 50_000

export type CoinCache = BoundedCache<string, Coin>

export function coinCache (): CoinCache {
  return new BoundedCache<string, Coin>(COIN_CACHE_ENTRIES)
}

/** Reads through pending changes to the store; `ops` is what committing them writes. */
export class CoinView {
  private readonly db: LedgerDb
  private readonly cache: CoinCache
  private readonly changed = new Map<string, Coin | null>()
  readonly ops: BatchOp[] = []

  constructor (db: LedgerDb, cache: CoinCache) {
    this.db = db
    this.cache = cache
  }

  /** One read of the store for all of them (a block's inputs) that the cache lacks: not a round trip each. */
  async getMany (outpoints: string[]): Promise<Array<Coin | undefined>> {
    const cached = new Map<string, Coin>()
    const unread: string[] = []
    for (const outpoint of outpoints) {
      if (this.changed.has(outpoint)) continue
      const coin = this.cache.get(outpoint)
      if (coin !== undefined) cached.set(outpoint, coin)
      else unread.push(outpoint)
    }
    const read = new Map<string, Uint8Array | undefined>()
    if (unread.length > 0) {
      const values = await this.db.getMany(unread.map(key.coin))
      unread.forEach((outpoint, i) => read.set(outpoint, values[i]))
    }
    return outpoints.map(outpoint => {
      if (this.changed.has(outpoint)) return this.changed.get(outpoint) ?? undefined
      const bytes = read.get(outpoint)
      return bytes === undefined ? cached.get(outpoint) : parseJson<Coin>(bytes)
    })
  }

  add (outpoint: string, coin: Coin): void {
    this.changed.set(outpoint, coin)
    this.ops.push({ type: 'put', key: key.coin(outpoint), value: json(coin) }, { type: 'put', key: key.owned(coin.pkh, outpoint), value: new Uint8Array() })
  }

  remove (outpoint: string, coin: Coin): void {
    this.changed.set(outpoint, null)
    this.ops.push({ type: 'del', key: key.coin(outpoint) }, { type: 'del', key: key.owned(coin.pkh, outpoint) })
  }

  put (k: string, value: Uint8Array): void {
    this.ops.push({ type: 'put', key: k, value })
  }

  del (k: string): void {
    this.ops.push({ type: 'del', key: k })
  }

  /** Writes the batch, then (only once it is written) brings the cache to the same state. */
  async commit (): Promise<void> {
    await this.db.batch(this.ops)
    for (const [outpoint, coin] of this.changed) {
      if (coin === null) this.cache.delete(outpoint)
      else this.cache.set(outpoint, coin)
    }
  }
}
