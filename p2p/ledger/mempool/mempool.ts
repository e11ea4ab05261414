// Transactions waiting for a block. Each is checked against the chain's unspent outputs plus the
// outputs of transactions already waiting; two waiting transactions never spend the same output.
// On a reorg the losing branch's transactions come back if they are still valid. Policy, beside the
// rules: a least fee, a cap on the bytes waiting (the lowest fee rates make room for higher ones), and
// transactions whose parents are unknown wait as orphans until a parent arrives.
import { RuleError } from '../rules/codes.ts'
import type { Transaction } from '../rules/codec.ts'
import { encodeTx } from '../rules/codec.ts'
import { txid } from '../rules/hash.ts'
import { checkTransaction, checkTxInputs, isCoinbase, outpointKey, type Coin } from '../rules/tx.ts'
import type { Chain, TipChange } from '../chain/chain.ts'
import { OrphanTxs } from './orphan-txs.ts'

/** Policy, not consensus: the least fee this peer relays and mines. */
export const MIN_RELAY_FEE = 100
/** Policy: the most bytes of transactions waiting. */
export const MAX_MEMPOOL_BYTES = 5_000_000

export interface MempoolEntry {
  tx: Transaction
  txid: string
  fee: number
  size: number
  /** When it arrived, seconds. */
  time: number
}

/** Compares fee per byte exactly (integers: fee × size can pass 2^53). */
function compareFeeRate (a: { fee: number, size: number }, b: { fee: number, size: number }): number {
  const left = BigInt(a.fee) * BigInt(b.size)
  const right = BigInt(b.fee) * BigInt(a.size)
  return left < right ? -1 : left > right ? 1 : 0
}

export interface MempoolOptions {
  /** Bytes of transactions that may wait (default MAX_MEMPOOL_BYTES). */
  maxBytes?: number
}

export class Mempool {
  private readonly chain: Chain
  private readonly now: () => number
  readonly maxBytes: number
  private readonly byId = new Map<string, MempoolEntry>()
  /** Outpoint → the waiting transaction that spends it. */
  private readonly spentBy = new Map<string, string>()
  private readonly orphans = new OrphanTxs()
  private readonly adoptListeners = new Set<(entry: MempoolEntry) => void>()
  private readonly returnListeners = new Set<(entries: MempoolEntry[]) => void>()
  private waitingBytes = 0
  private queue: Promise<unknown> = Promise.resolve()

  constructor (chain: Chain, now: () => number, options: MempoolOptions = {}) {
    this.chain = chain
    this.now = now
    this.maxBytes = options.maxBytes ?? MAX_MEMPOOL_BYTES
  }

  get size (): number {
    return this.byId.size
  }

  get bytes (): number {
    return this.waitingBytes
  }

  /** Transactions waiting for an unknown parent. */
  get orphanCount (): number {
    return this.orphans.size
  }

  has (id: string): boolean {
    return this.byId.has(id)
  }

  transaction (id: string): Transaction | undefined {
    return this.byId.get(id)?.tx
  }

  /** In arrival order, so a parent always comes before a child that spends it. */
  entries (): MempoolEntry[] {
    return [...this.byId.values()]
  }

  /** Called for each orphan admitted once its parents arrived (the caller relays it). */
  onOrphanAdmitted (listener: (entry: MempoolEntry) => void): void {
    this.adoptListeners.add(listener)
  }

  /** Called after a reorg with the losing branch's transactions that wait here again (the caller announces them). */
  onReturned (listener: (entries: MempoolEntry[]) => void): void {
    this.returnListeners.add(listener)
  }

  /** Outputs of waiting transactions that no other waiting transaction spends. */
  unspentOutputs (): Array<{ outpoint: string, coin: Coin }> {
    const height = this.chain.tip.height + 1
    return this.entries().flatMap(e => e.tx.outputs.map((o, i) => ({ outpoint: outpointKey(e.txid, i), coin: { ...o, height, coinbase: false } })))
      .filter(({ outpoint }) => !this.spentBy.has(outpoint))
  }

  isSpent (outpoint: string): boolean {
    return this.spentBy.has(outpoint)
  }

  /**
   * Checks and admits a transaction; throws the RuleError saying why not. One whose parent is unknown
   * (`missing-input-mempool`) waits as an orphan and is admitted when the parent arrives.
   */
  async add (tx: Transaction): Promise<MempoolEntry> {
    const run = this.queue.then(async () => {
      const entry = await this.admit(tx, this.now())
      await this.adoptOrphansOf(entry.txid)
      return entry
    })
    this.queue = run.catch(() => {})
    return await run
  }

  private async admit (tx: Transaction, arrived: number): Promise<MempoolEntry> {
    const id = txid(tx)
    this.orphans.expire(this.now())
    if (isCoinbase(tx)) throw new RuleError('coinbase-outside-block', 'a coinbase only comes inside its block')
    if (this.byId.has(id)) throw new RuleError('already-known', `${id} is already waiting`)
    if (this.orphans.has(id)) throw new RuleError('already-known', `${id} is already waiting for its parents`)
    checkTransaction(tx, this.chain.params)
    const coins = new Map<string, Coin>()
    for (const input of tx.inputs) {
      const outpoint = outpointKey(input.prevTxid, input.prevIndex)
      const rival = this.spentBy.get(outpoint)
      if (rival !== undefined) throw new RuleError('mempool-conflict', `${outpoint} is already spent by waiting transaction ${rival}`)
      const coin = this.waitingOutput(outpoint) ?? await this.chain.coin(outpoint)
      if (coin !== undefined) coins.set(outpoint, coin)
    }
    let fee: number
    try {
      fee = checkTxInputs(tx, outpoint => coins.get(outpoint), this.chain.tip.height + 1, this.chain.params, { missingCode: 'missing-input-mempool', signatures: this.chain.signatures })
    } catch (err) {
      if (err instanceof RuleError && err.code === 'missing-input-mempool') this.orphans.add({ tx, txid: id, arrived })
      throw err
    }
    if (fee < MIN_RELAY_FEE) throw new RuleError('fee-too-low', `fee ${fee}, this peer relays from ${MIN_RELAY_FEE}`)
    const entry: MempoolEntry = { tx, txid: id, fee, size: encodeTx(tx).byteLength, time: this.now() }
    this.makeRoom(entry)
    this.byId.set(id, entry)
    this.waitingBytes += entry.size
    for (const input of tx.inputs) this.spentBy.set(outpointKey(input.prevTxid, input.prevIndex), id)
    return entry
  }

  /**
   * Over the byte cap, evicts waiting transactions together with what spends them, lowest package fee
   * rate first (so a well-paying child keeps its parent), only packages paying less per byte than the
   * newcomer and never its own ancestors. If that can't free enough, refuses it and evicts nothing.
   */
  private makeRoom (entry: MempoolEntry): void {
    const excess = this.waitingBytes + entry.size - this.maxBytes
    if (excess <= 0) return
    const ancestors = this.ancestorsOf(entry.tx)
    const packages = this.entries().filter(e => !ancestors.has(e.txid)).map(e => {
      const ids = this.withDescendants(e.txid)
      const members = [...ids].map(id => this.byId.get(id)!)
      return { ids, fee: members.reduce((sum, m) => sum + m.fee, 0), size: members.reduce((sum, m) => sum + m.size, 0) }
    }).filter(p => compareFeeRate(p, entry) < 0).sort(compareFeeRate)
    const evict = new Set<string>()
    let freed = 0
    for (const { ids } of packages) {
      if (freed >= excess) break
      for (const id of ids) {
        if (evict.has(id)) continue
        evict.add(id)
        freed += this.byId.get(id)!.size
      }
    }
    if (freed < excess) throw new RuleError('mempool-full', `${this.waitingBytes} bytes waiting (cap ${this.maxBytes}) and too few pay a lower fee rate to make room`)
    for (const id of evict) this.removeEntry(id)
  }

  /** Waiting transactions whose outputs `tx` spends, and theirs, and so on. */
  private ancestorsOf (tx: Transaction): Set<string> {
    const found = new Set<string>()
    const visit = (t: Transaction): void => {
      for (const input of t.inputs) {
        const parent = this.byId.get(input.prevTxid)
        if (parent !== undefined && !found.has(parent.txid)) {
          found.add(parent.txid)
          visit(parent.tx)
        }
      }
    }
    visit(tx)
    return found
  }

  /** `id` and every waiting transaction that spends its outputs, directly or not. */
  private withDescendants (id: string): Set<string> {
    const found = new Set([id])
    for (const each of found) {
      this.byId.get(each)!.tx.outputs.forEach((_, index) => {
        const child = this.spentBy.get(outpointKey(each, index))
        if (child !== undefined) found.add(child)
      })
    }
    return found
  }

  /**
   * Tries again the orphans that spend an output of `parent`, now that it is known, then theirs: parents
   * are admitted (and reported to the listeners) before their children.
   */
  private async adoptOrphansOf (parent: string): Promise<void> {
    const parents = [parent]
    for (let next = parents.shift(); next !== undefined; next = parents.shift()) {
      for (const orphan of this.orphans.takeChildren(next)) {
        const entry = await this.admit(orphan.tx, orphan.arrived).catch(() => undefined)
        if (entry === undefined) continue
        for (const listener of this.adoptListeners) listener(entry)
        parents.push(entry.txid)
      }
    }
  }

  private waitingOutput (outpoint: string): Coin | undefined {
    const [id, index] = outpoint.split(':')
    const output = this.byId.get(id!)?.tx.outputs[Number(index)]
    return output === undefined ? undefined : { ...output, height: this.chain.tip.height + 1, coinbase: false }
  }

  /** Follows the chain: drops what got mined or conflicts with it; after a reorg, re-admits the losing branch's transactions. */
  async applyTipChange (change: TipChange): Promise<void> {
    const run = this.queue.then(async () => await this.follow(change))
    this.queue = run.catch(() => {})
    await run
  }

  private async follow (change: TipChange): Promise<void> {
    if (change.disconnected.length === 0) {
      for (const block of change.connected) for (const tx of block.txs) this.removeMinedOrConflicting(tx)
    } else {
      // A reorg can invalidate anything (a coinbase spent from the losing branch, say): re-admit all.
      const returned = [...change.disconnected].reverse().flatMap(b => b.txs.filter(tx => !isCoinbase(tx)))
      const candidates = returned.concat(this.entries().map(e => e.tx))
      this.byId.clear()
      this.spentBy.clear()
      this.waitingBytes = 0
      for (const tx of candidates) await this.admit(tx, this.now()).catch(() => {})
      for (const entry of this.entries()) await this.adoptOrphansOf(entry.txid)
      const back = returned.map(tx => this.byId.get(txid(tx))).filter(entry => entry !== undefined)
      if (back.length > 0) for (const listener of this.returnListeners) listener(back)
    }
    // Outputs mined just now may be what waiting orphans spend.
    for (const block of change.connected) for (const tx of block.txs) await this.adoptOrphansOf(txid(tx))
  }

  private removeMinedOrConflicting (tx: Transaction): void {
    // What spends a mined transaction stays: its parent's outputs are now on the chain.
    this.removeEntry(txid(tx))
    if (isCoinbase(tx)) return
    for (const input of tx.inputs) {
      const rival = this.spentBy.get(outpointKey(input.prevTxid, input.prevIndex))
      if (rival !== undefined) for (const id of this.withDescendants(rival)) this.removeEntry(id)
    }
  }

  private removeEntry (id: string): void {
    const entry = this.byId.get(id)
    if (entry === undefined) return
    this.byId.delete(id)
    this.waitingBytes -= entry.size
    for (const input of entry.tx.inputs) this.spentBy.delete(outpointKey(input.prevTxid, input.prevIndex))
  }
}
