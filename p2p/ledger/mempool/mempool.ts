// Transactions waiting for a block. Each is checked against the chain's unspent outputs plus the
// outputs of transactions already waiting; two waiting transactions never spend the same output.
// On a reorg the losing branch's transactions come back if they are still valid.
import { RuleError } from '../rules/codes.ts'
import type { Transaction } from '../rules/codec.ts'
import { encodeTx } from '../rules/codec.ts'
import { txid } from '../rules/hash.ts'
import { checkTransaction, checkTxInputs, isCoinbase, outpointKey, type Coin } from '../rules/tx.ts'
import type { Chain, TipChange } from '../chain/chain.ts'

/** Policy, not consensus: the least fee this peer relays and mines. */
export const MIN_RELAY_FEE = 100
export const MAX_MEMPOOL_TXS = 5000

export interface MempoolEntry {
  tx: Transaction
  txid: string
  fee: number
  size: number
  /** When it arrived, seconds. */
  time: number
}

export class Mempool {
  private readonly chain: Chain
  private readonly now: () => number
  private readonly byId = new Map<string, MempoolEntry>()
  /** Outpoint → the waiting transaction that spends it. */
  private readonly spentBy = new Map<string, string>()
  private queue: Promise<unknown> = Promise.resolve()

  constructor (chain: Chain, now: () => number) {
    this.chain = chain
    this.now = now
  }

  get size (): number {
    return this.byId.size
  }

  has (id: string): boolean {
    return this.byId.has(id)
  }

  /** In arrival order, so a parent always comes before a child that spends it. */
  entries (): MempoolEntry[] {
    return [...this.byId.values()]
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

  /** Checks and admits a transaction; throws the RuleError saying why not. */
  async add (tx: Transaction): Promise<MempoolEntry> {
    const run = this.queue.then(async () => await this.admit(tx))
    this.queue = run.catch(() => {})
    return await run
  }

  private async admit (tx: Transaction): Promise<MempoolEntry> {
    const id = txid(tx)
    if (isCoinbase(tx)) throw new RuleError('coinbase-outside-block', 'a coinbase only comes inside its block')
    if (this.byId.has(id)) throw new RuleError('already-known', `${id} is already waiting`)
    checkTransaction(tx, this.chain.params)
    const coins = new Map<string, Coin>()
    for (const input of tx.inputs) {
      const outpoint = outpointKey(input.prevTxid, input.prevIndex)
      const rival = this.spentBy.get(outpoint)
      if (rival !== undefined) throw new RuleError('mempool-conflict', `${outpoint} is already spent by waiting transaction ${rival}`)
      const coin = this.waitingOutput(outpoint) ?? await this.chain.coin(outpoint)
      if (coin !== undefined) coins.set(outpoint, coin)
    }
    const fee = checkTxInputs(tx, outpoint => coins.get(outpoint), this.chain.tip.height + 1, this.chain.params, { missingCode: 'missing-input-mempool', signatures: this.chain.signatures })
    if (fee < MIN_RELAY_FEE) throw new RuleError('fee-too-low', `fee ${fee}, this peer relays from ${MIN_RELAY_FEE}`)
    if (this.byId.size >= MAX_MEMPOOL_TXS) throw new RuleError('mempool-full', `${MAX_MEMPOOL_TXS} transactions already waiting`)
    const entry: MempoolEntry = { tx, txid: id, fee, size: encodeTx(tx).byteLength, time: this.now() }
    this.byId.set(id, entry)
    for (const input of tx.inputs) this.spentBy.set(outpointKey(input.prevTxid, input.prevIndex), id)
    return entry
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
      return
    }
    // A reorg can invalidate anything (a coinbase spent from the losing branch, say): re-admit all.
    const candidates = [...change.disconnected].reverse().flatMap(b => b.txs.filter(tx => !isCoinbase(tx))).concat(this.entries().map(e => e.tx))
    this.byId.clear()
    this.spentBy.clear()
    for (const tx of candidates) await this.admit(tx).catch(() => {})
  }

  private removeMinedOrConflicting (tx: Transaction): void {
    // What spends a mined transaction stays: its parent's outputs are now on the chain.
    this.removeEntry(txid(tx))
    if (isCoinbase(tx)) return
    for (const input of tx.inputs) {
      const rival = this.spentBy.get(outpointKey(input.prevTxid, input.prevIndex))
      if (rival !== undefined) this.removeWithDescendants(rival)
    }
  }

  private removeEntry (id: string): MempoolEntry | undefined {
    const entry = this.byId.get(id)
    if (entry === undefined) return undefined
    this.byId.delete(id)
    for (const input of entry.tx.inputs) this.spentBy.delete(outpointKey(input.prevTxid, input.prevIndex))
    return entry
  }

  private removeWithDescendants (id: string): void {
    const entry = this.removeEntry(id)
    if (entry === undefined) return
    entry.tx.outputs.forEach((_, index) => {
      const child = this.spentBy.get(outpointKey(id, index))
      if (child !== undefined) this.removeWithDescendants(child)
    })
  }
}
