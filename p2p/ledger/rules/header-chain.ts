// The tree of headers seen: what a block's header must carry given its ancestors, how much work a
// branch holds, and fork choice — the branch with the most cumulative work, never the most blocks.
import type { BlockHeader } from './codec.ts'
import { checkProofOfWork, checkHeaderContext, checkBlockBody, connectBlockTxs, type BlockEffects } from './block.ts'
import type { Block } from './codec.ts'
import type { CoinLookup } from './tx.ts'
import { MEDIAN_TIME_SPAN, medianTimePast, nextBits, workOf } from './target.ts'
import type { ChainParams } from './params.ts'

export interface HeaderEntry {
  hash: string
  /** The parent's hash; '' for genesis. */
  parent: string
  height: number
  time: number
  bits: number
  /** Work of this block and all its ancestors. */
  chainWork: bigint
}

/** `count` entries ending at `hash` (inclusive), oldest first; fewer near genesis. */
export type Ancestry = (hash: string, count: number) => HeaderEntry[]

export function childEntry (parent: HeaderEntry, hash: string, header: BlockHeader): HeaderEntry {
  return { hash, parent: parent.hash, height: parent.height + 1, time: header.time, bits: header.bits, chainWork: parent.chainWork + workOf(header.bits) }
}

export function medianTimePastAt (parent: HeaderEntry, ancestry: Ancestry): number {
  return medianTimePast(ancestry(parent.hash, MEDIAN_TIME_SPAN).map(e => e.time))
}

export function expectedBitsAfter (parent: HeaderEntry, ancestry: Ancestry, params: ChainParams): number {
  const height = parent.height + 1
  if (params.noRetarget || height <= params.retargetWindow) return params.powLimitBits
  const window = ancestry(parent.hash, params.retargetWindow + 1)
  const first = window[0]!
  return nextBits(params, height, {
    bits: window.slice(1).map(e => e.bits),
    mtpNow: medianTimePastAt(parent, ancestry),
    mtpThen: medianTimePastAt(first, ancestry)
  })
}

/** Checks a header that extends `parent`: proof of work, then its place in the chain. */
export function validateHeader (header: BlockHeader, parent: HeaderEntry, ancestry: Ancestry, now: number, params: ChainParams): void {
  checkProofOfWork(header, params)
  checkHeaderContext(header, { expectedBits: expectedBitsAfter(parent, ancestry, params), medianTimePast: medianTimePastAt(parent, ancestry), now }, params)
}

/** Every rule for a block extending `parent`, given the unspent outputs at the parent. */
export function validateBlock (block: Block, parent: HeaderEntry, ancestry: Ancestry, coins: CoinLookup, now: number, params: ChainParams): BlockEffects {
  validateHeader(block.header, parent, ancestry, now, params)
  const { txids } = checkBlockBody(block, params)
  return connectBlockTxs(block, parent.height + 1, coins, params, undefined, txids)
}

/** Fork choice: a candidate replaces the tip only with strictly more work (first seen wins a tie). */
export function hasMoreWork (candidate: HeaderEntry, tip: HeaderEntry): boolean {
  return candidate.chainWork > tip.chainWork
}

/** The blocks to disconnect (tip first) and connect (oldest first) to move from `from` to `to`. */
export function reorgPath<E extends HeaderEntry> (from: E, to: E, get: (hash: string) => E): { disconnect: E[], connect: E[] } {
  const disconnect: E[] = []
  const connect: E[] = []
  let a = from
  let b = to
  while (a.height > b.height) { disconnect.push(a); a = get(a.parent) }
  while (b.height > a.height) { connect.push(b); b = get(b.parent) }
  while (a.hash !== b.hash) {
    disconnect.push(a); a = get(a.parent)
    connect.push(b); b = get(b.parent)
  }
  return { disconnect, connect: connect.reverse() }
}
