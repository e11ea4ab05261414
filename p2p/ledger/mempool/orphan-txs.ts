// Transactions that spend an output this peer doesn't know yet — its parent is still on the way, by
// gossip or in a block we lack. They wait here, a bounded number for a bounded time, and are tried
// again when a transaction they spend arrives. Pure bookkeeping: no I/O, the clock passed in.
import type { Transaction } from '../rules/codec.ts'

/** At most this many wait (each is at most a transaction's size limit); the oldest goes first. */
export const MAX_ORPHAN_TXS = 100
/** Seconds an orphan waits for its parents. */
export const ORPHAN_TX_SECONDS = 20 * 60

export interface OrphanTx {
  tx: Transaction
  txid: string
  /** Seconds. */
  arrived: number
}

export class OrphanTxs {
  /** In arrival order, so the first is the oldest. */
  private readonly byId = new Map<string, OrphanTx>()
  /** Parent txid → the orphans spending one of its outputs. */
  private readonly byParent = new Map<string, Set<string>>()

  get size (): number {
    return this.byId.size
  }

  has (txid: string): boolean {
    return this.byId.has(txid)
  }

  add (orphan: OrphanTx): void {
    if (this.byId.has(orphan.txid)) return
    if (this.byId.size >= MAX_ORPHAN_TXS) this.remove(this.byId.keys().next().value!)
    this.byId.set(orphan.txid, orphan)
    for (const parent of parentsOf(orphan.tx)) {
      const children = this.byParent.get(parent) ?? new Set()
      children.add(orphan.txid)
      this.byParent.set(parent, children)
    }
  }

  /** Drops the orphans that arrived more than ORPHAN_TX_SECONDS before `now`. */
  expire (now: number): void {
    for (const orphan of [...this.byId.values()]) {
      if (now - orphan.arrived > ORPHAN_TX_SECONDS) this.remove(orphan.txid)
    }
  }

  /** Takes out the orphans that spend an output of `parent`, oldest first, for the caller to try again. */
  takeChildren (parent: string): OrphanTx[] {
    const children = [...this.byParent.get(parent) ?? []].map(id => this.byId.get(id)!)
    for (const child of children) this.remove(child.txid)
    return children.sort((a, b) => a.arrived - b.arrived)
  }

  private remove (txid: string): void {
    const orphan = this.byId.get(txid)
    if (orphan === undefined) return
    this.byId.delete(txid)
    for (const parent of parentsOf(orphan.tx)) {
      const children = this.byParent.get(parent)!
      children.delete(txid)
      if (children.size === 0) this.byParent.delete(parent)
    }
  }
}

function parentsOf (tx: Transaction): Set<string> {
  return new Set(tx.inputs.map(input => input.prevTxid))
}
