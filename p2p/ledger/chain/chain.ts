// The chain on disk: every valid block seen (main chain and side branches), the unspent outputs at
// the tip, and fork choice by cumulative work. A block connect, disconnect or whole reorg is one
// LevelDB batch, so a crash leaves either the old tip and its coins or the new tip and its coins.
import { RuleError } from '../rules/codes.ts'
import { decodeBlock, encodeBlock, joinBlock, type Block, type BlockHeader } from '../rules/codec.ts'
import { blockHash, txid } from '../rules/hash.ts'
import { checkBlockBody, checkProofOfWork, connectBlockTxs } from '../rules/block.ts'
import { childEntry, expectedBitsAfter, hasMoreWork, medianTimePastAt, reorgPath, validateHeader, type HeaderEntry } from '../rules/header-chain.ts'
import { genesisBlock, genesisHash, type ChainParams } from '../rules/params.ts'
import { workOf } from '../rules/target.ts'
import { isCoinbase, outpointKey, type Coin } from '../rules/tx.ts'
import { CoinView, coinCache, decodeEntry, encodeEntry, json, key, parseJson, type ChainEntry, type HistoryRecord, type LedgerDb } from './store.ts'
import { OrphanPool } from './orphans.ts'
import { SignatureCache } from '../rules/signature-cache.ts'

export interface TipChange {
  tip: ChainEntry
  /** Blocks taken off the main chain, tip first. */
  disconnected: Block[]
  /** Blocks put on it, oldest first. */
  connected: Block[]
}

export type SubmitResult =
  | { status: 'connected' | 'side-branch' | 'duplicate', hash: string }
  /** Parent unknown: ask the sender for `missing`. */
  | { status: 'orphan', hash: string, missing: string }

const MAX_LOCATOR_HASHES = 32

/** Net change per owner for each transaction of a block (ids in `txids`), given the coins its inputs spend. */
function ownerDeltas (block: Block, txids: string[], spentCoin: (outpoint: string) => Coin | undefined): Array<{ txid: string, deltas: Map<string, number> }> {
  return block.txs.map((tx, position) => {
    const deltas = new Map<string, number>()
    const add = (pkh: string, amount: number): void => { deltas.set(pkh, (deltas.get(pkh) ?? 0) + amount) }
    if (!isCoinbase(tx)) {
      for (const input of tx.inputs) {
        const coin = spentCoin(outpointKey(input.prevTxid, input.prevIndex))
        if (coin !== undefined) add(coin.pkh, -coin.amount)
      }
    }
    for (const output of tx.outputs) add(output.pkh, output.amount)
    return { txid: txids[position]!, deltas }
  })
}

export class Chain {
  readonly params: ChainParams
  private readonly db: LedgerDb
  private readonly now: () => number
  private readonly entries = new Map<string, ChainEntry>()
  /** Main-chain hashes by height. */
  private main: string[] = []
  private readonly orphans = new OrphanPool()
  private readonly failures = new Map<string, RuleError>()
  /** Shared with the mempool, so a transaction's signatures are verified once. */
  readonly signatures = new SignatureCache()
  /** Recent unspent outputs as committed: what the next blocks spend, without a read (store.ts). */
  private readonly coins = coinCache()
  private readonly listeners = new Set<(change: TipChange) => void | Promise<void>>()
  private queue: Promise<unknown> = Promise.resolve()
  /**
   * Entries that had more work than the tip when stored: only these can become the tip, since its work
   * only grows. Fork choice looks at them, not at every entry (which made catching up quadratic).
   */
  private readonly candidates = new Set<ChainEntry>()
  /** The block `store` just wrote, which a connect right after would otherwise read back and decode. */
  private lastStored: { hash: string, block: Block, txids: string[] } | undefined

  private constructor (db: LedgerDb, params: ChainParams, now: () => number) {
    this.db = db
    this.params = params
    this.now = now
  }

  /**
   * Opens the chain in `db`, writing genesis on first use; `now` is the clock in seconds. A store that
   * holds another chain (another genesis: the Schnorr chain before the change of signature scheme) is
   * cleared first and `log` told: its blocks are public, kept by that chain's peers, and never ours.
   */
  static async open (db: LedgerDb, params: ChainParams, now: () => number, log: (message: string) => void = () => {}): Promise<Chain> {
    const chain = new Chain(db, params, now)
    await chain.load(log)
    return chain
  }

  private async load (log: (message: string) => void): Promise<void> {
    for await (const value of this.db.values({ gte: 'h!', lt: 'h"' })) {
      const entry = decodeEntry(value)
      this.entries.set(entry.hash, entry)
    }
    let tipHash = await this.db.get(key.tip)
    if (tipHash !== undefined) {
      const tip = this.entries.get(new TextDecoder().decode(tipHash))!
      this.setMain(tip)
      if (this.main[0] !== genesisHash(this.params)) {
        log(`ledger: the stored chain (genesis ${this.main[0]}, height ${tip.height}) is not chain "${this.params.name}" of this version (genesis ${genesisHash(this.params)}, signed with Ed25519): cleared, starting over from genesis`)
        await this.db.clear()
        this.entries.clear()
        tipHash = undefined
      }
    }
    if (tipHash === undefined) {
      const genesis = genesisBlock(this.params)
      const hash = blockHash(genesis.header)
      const entry: ChainEntry = { hash, parent: '', height: 0, time: genesis.header.time, bits: genesis.header.bits, chainWork: workOf(genesis.header.bits), header: genesis.header, txCount: 1, status: 'valid' }
      await this.db.batch([
        { type: 'put', key: key.entry(hash), value: encodeEntry(entry) },
        { type: 'put', key: key.block(hash), value: encodeBlock(genesis) },
        { type: 'put', key: key.tip, value: new TextEncoder().encode(hash) }
      ])
      this.entries.set(hash, entry)
      this.main = [hash]
      return
    }
    // A block stored just before a crash may hold more work than the tip: finish what was started.
    for (const entry of this.entries.values()) if (hasMoreWork(entry, this.tip)) this.candidates.add(entry)
    await this.activateBestChain()
  }

  get tip (): ChainEntry {
    return this.entries.get(this.main[this.main.length - 1]!)!
  }

  get genesisHash (): string {
    return this.main[0]!
  }

  get orphanCount (): number {
    return this.orphans.size
  }

  entry (hash: string): ChainEntry | undefined {
    return this.entries.get(hash)
  }

  isOnMainChain (hash: string): boolean {
    const entry = this.entries.get(hash)
    return entry !== undefined && this.main[entry.height] === hash
  }

  /** Called after every committed change of tip, with the blocks that left and joined the main chain; submit waits for it. */
  onTipChange (listener: (change: TipChange) => void | Promise<void>): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  ancestry = (hash: string, count: number): HeaderEntry[] => {
    const out: HeaderEntry[] = []
    for (let entry = this.entries.get(hash); entry !== undefined && out.length < count; entry = this.entries.get(entry.parent)) out.unshift(entry)
    return out
  }

  /** What a block on the tip must carry and exceed: the bits it must have, and the median time past. */
  nextBlockTemplate (): { parent: ChainEntry, bits: number, minTime: number } {
    const parent = this.tip
    return { parent, bits: expectedBitsAfter(parent, this.ancestry, this.params), minTime: medianTimePastAt(parent, this.ancestry) + 1 }
  }

  async getBlock (hash: string): Promise<Block | undefined> {
    const bytes = await this.db.get(key.block(hash))
    return bytes === undefined ? undefined : decodeBlock(bytes)
  }

  async coin (outpoint: string): Promise<Coin | undefined> {
    const bytes = await this.db.get(key.coin(outpoint))
    return bytes === undefined ? undefined : parseJson<Coin>(bytes)
  }

  async coinsOf (pkh: string): Promise<Array<{ outpoint: string, coin: Coin }>> {
    const out: Array<{ outpoint: string, coin: Coin }> = []
    const prefix = key.owned(pkh, '')
    for await (const k of this.db.keys({ gte: prefix, lt: prefix + '\xff' })) {
      const outpoint = k.slice(prefix.length)
      const coin = await this.coin(outpoint)
      if (coin !== undefined) out.push({ outpoint, coin })
    }
    return out
  }

  async historyOf (pkh: string): Promise<HistoryRecord[]> {
    const prefix = key.history(pkh, '')
    const out: HistoryRecord[] = []
    for await (const value of this.db.values({ gte: prefix, lt: prefix + '\xff' })) out.push(parseJson<HistoryRecord>(value))
    return out.sort((a, b) => b.height - a.height)
  }

  /** Hashes from the tip back to genesis, dense first then doubling: how a peer finds where we fork. */
  locator (): string[] {
    const out: string[] = []
    let step = 1
    for (let height = this.main.length - 1; height > 0 && out.length < MAX_LOCATOR_HASHES - 1; height -= step) {
      out.push(this.main[height]!)
      if (out.length >= 10) step *= 2
    }
    out.push(this.genesisHash)
    return out
  }

  /** Main-chain headers after the first locator hash we have on our main chain. */
  headersAfter (locator: string[], max: number): BlockHeader[] {
    const fork = locator.find(hash => this.isOnMainChain(hash)) ?? this.genesisHash
    const start = this.entries.get(fork)!.height + 1
    return this.main.slice(start, start + max).map(hash => this.entries.get(hash)!.header)
  }

  /** The newest `count` entries by height, side branches included. */
  recentEntries (count: number): ChainEntry[] {
    const floor = this.tip.height - count
    return [...this.entries.values()].filter(e => e.height > floor).sort((a, b) => a.height - b.height)
  }

  /**
   * Validates and stores a block from anyone, then moves to the most-work chain. Throws the
   * RuleError of the first broken rule; nothing invalid is stored except a mark that it is invalid.
   */
  async submit (block: Block): Promise<SubmitResult> {
    const run = this.queue.then(async () => await this.process(block))
    this.queue = run.catch(() => {})
    return await run
  }

  private async process (block: Block): Promise<SubmitResult> {
    const hash = blockHash(block.header)
    const known = this.entries.get(hash)
    if (known !== undefined) {
      if (known.status === 'invalid') throw this.failures.get(hash) ?? new RuleError('invalid-ancestor', `${hash} was found invalid`)
      return { status: 'duplicate', hash }
    }
    const parent = this.entries.get(block.header.prevHash)
    if (parent === undefined) {
      // Only blocks that cost work may wait: no free memory for made-up orphans.
      checkProofOfWork(block.header, this.params)
      this.orphans.add(hash, block)
      return { status: 'orphan', hash, missing: this.orphans.rootOf(block).header.prevHash }
    }
    await this.store(block, hash, parent)
    await this.activateBestChain()
    for (const [childHash, child] of this.orphans.takeChildren(hash)) {
      await this.process(child).catch(() => { this.orphans.takeChildren(childHash) })
    }
    const entry = this.entries.get(hash)!
    if (entry.status === 'invalid') throw this.failures.get(hash) ?? new RuleError('invalid-ancestor', `${hash} extends an invalid block`)
    return { status: this.isOnMainChain(hash) ? 'connected' : 'side-branch', hash }
  }

  private async store (block: Block, hash: string, parent: ChainEntry): Promise<void> {
    if (this.isInvalid(parent)) throw new RuleError('invalid-ancestor', `parent ${parent.hash} is invalid`)
    validateHeader(block.header, parent, this.ancestry, this.now(), this.params)
    const { txids, encodedTxs } = checkBlockBody(block, this.params)
    const entry: ChainEntry = { ...childEntry(parent, hash, block.header), header: block.header, txCount: block.txs.length, status: 'stored' }
    await this.db.batch([
      { type: 'put', key: key.block(hash), value: joinBlock(block.header, encodedTxs) },
      { type: 'put', key: key.entry(hash), value: encodeEntry(entry) }
    ])
    this.entries.set(hash, entry)
    if (hasMoreWork(entry, this.tip)) this.candidates.add(entry)
    this.lastStored = { hash, block, txids }
  }

  private async storedBlock (hash: string): Promise<Block> {
    if (this.lastStored?.hash === hash) return this.lastStored.block
    return (await this.getBlock(hash))!
  }

  /** Invalid itself, or descends from a block that is. */
  private isInvalid (entry: ChainEntry): boolean {
    for (let e: ChainEntry | undefined = entry; e !== undefined && !this.isOnMainChain(e.hash); e = this.entries.get(e.parent)) {
      if (e.status === 'invalid') return true
    }
    return false
  }

  private bestCandidate (): ChainEntry | undefined {
    let best: ChainEntry | undefined
    for (const entry of this.candidates) {
      // Passed by the tip, or invalid: never a candidate again.
      if (!hasMoreWork(entry, this.tip) || this.isInvalid(entry)) this.candidates.delete(entry)
      else if (best === undefined || hasMoreWork(entry, best)) best = entry
    }
    return best
  }

  /** Reorganizes to the most-work valid chain; a block that fails on the way is marked and skipped. */
  private async activateBestChain (): Promise<void> {
    for (let best = this.bestCandidate(); best !== undefined; best = this.bestCandidate()) {
      const change = await this.reorgTo(best)
      if (change !== undefined) for (const listener of this.listeners) await listener(change)
    }
  }

  private async reorgTo (target: ChainEntry): Promise<TipChange | undefined> {
    const path = reorgPath(this.tip, target, hash => this.entries.get(hash)!)
    const view = new CoinView(this.db, this.coins)
    const disconnected: Block[] = []
    for (const entry of path.disconnect) {
      const block = await this.storedBlock(entry.hash)
      await this.disconnectInto(view, entry, block)
      disconnected.push(block)
    }
    const connected: Block[] = []
    for (const entry of path.connect) {
      const block = await this.storedBlock(entry.hash)
      try {
        await this.connectInto(view, entry, block)
      } catch (err) {
        if (!(err instanceof RuleError)) throw err
        await this.markInvalid(entry, err)
        return undefined
      }
      connected.push(block)
    }
    view.put(key.tip, new TextEncoder().encode(target.hash))
    await view.commit()
    for (const entry of path.connect) entry.status = 'valid'
    this.setMain(target)
    return { tip: target, disconnected, connected }
  }

  private async markInvalid (entry: ChainEntry, err: RuleError): Promise<void> {
    if (this.lastStored?.hash === entry.hash) this.lastStored = undefined
    entry.status = 'invalid'
    this.failures.set(entry.hash, err)
    await this.db.batch([{ type: 'put', key: key.entry(entry.hash), value: encodeEntry(entry) }, { type: 'del', key: key.block(entry.hash) }])
  }

  /** Walks back from `tip` only to where it meets the current main chain (one step for a block on the tip). */
  private setMain (tip: ChainEntry): void {
    const added: string[] = []
    let e: ChainEntry | undefined = tip
    for (; e !== undefined && this.main[e.height] !== e.hash; e = this.entries.get(e.parent)) added.push(e.hash)
    this.main.length = e === undefined ? 0 : e.height + 1
    for (let i = added.length - 1; i >= 0; i--) this.main.push(added[i]!)
  }

  private async connectInto (view: CoinView, entry: ChainEntry, block: Block): Promise<void> {
    const outpoints = block.txs.slice(1).flatMap(tx => tx.inputs.map(input => outpointKey(input.prevTxid, input.prevIndex)))
    const coins = await view.getMany(outpoints)
    const spends = new Map<string, Coin>()
    outpoints.forEach((outpoint, i) => { if (coins[i] !== undefined) spends.set(outpoint, coins[i]) })
    const txids = this.lastStored?.hash === entry.hash ? this.lastStored.txids : undefined
    const effects = connectBlockTxs(block, entry.height, outpoint => spends.get(outpoint), this.params, this.signatures, txids)
    for (const [outpoint, coin] of effects.spent) view.remove(outpoint, coin)
    for (const [outpoint, coin] of effects.created) view.add(outpoint, coin)
    view.put(key.undo(entry.hash), json(effects.spent))
    this.writeHistory(view, entry, block, effects.txids, spends, 'put')
    view.put(key.entry(entry.hash), encodeEntry({ ...entry, status: 'valid' }))
  }

  private async disconnectInto (view: CoinView, entry: ChainEntry, block: Block): Promise<void> {
    const spent = new Map(parseJson<Array<[string, Coin]>>((await this.db.get(key.undo(entry.hash)))!))
    const txids = block.txs.map(txid)
    block.txs.forEach((tx, position) => {
      const id = txids[position]!
      tx.outputs.forEach((output, index) => {
        view.remove(outpointKey(id, index), { ...output, height: entry.height, coinbase: isCoinbase(tx) })
      })
    })
    for (const [outpoint, coin] of spent) view.add(outpoint, coin)
    view.del(key.undo(entry.hash))
    this.writeHistory(view, entry, block, txids, spent, 'del')
  }

  private writeHistory (view: CoinView, entry: ChainEntry, block: Block, txids: string[], spent: Map<string, Coin>, op: 'put' | 'del'): void {
    // Coins made and spent inside the block are not in `spent`: find them among its own outputs.
    const made = new Map<string, Coin>()
    block.txs.forEach((tx, position) => {
      tx.outputs.forEach((o, i) => made.set(outpointKey(txids[position]!, i), { ...o, height: entry.height, coinbase: false }))
    })
    for (const { txid: id, deltas } of ownerDeltas(block, txids, outpoint => spent.get(outpoint) ?? made.get(outpoint))) {
      for (const [pkh, amount] of deltas) {
        if (op === 'del') view.del(key.history(pkh, id))
        else view.put(key.history(pkh, id), json({ txid: id, height: entry.height, block: entry.hash, amount }))
      }
    }
  }
}
