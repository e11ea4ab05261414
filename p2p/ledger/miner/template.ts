// The block a miner works on: the tip's child carrying waiting transactions (parents before
// children, up to the size limit) and a coinbase paying the reward plus their fees.
import type { Block } from '../rules/codec.ts'
import { merkleRoot, txid } from '../rules/hash.ts'
import { blockReward, coinbaseTx, type ChainParams } from '../rules/params.ts'
import type { ChainEntry } from '../chain/store.ts'
import type { MempoolEntry } from '../mempool/mempool.ts'

/** Room kept for the header, the coinbase and the transaction count. */
const BLOCK_OVERHEAD_BYTES = 1000

export interface TemplateInput {
  parent: ChainEntry
  bits: number
  minTime: number
  waiting: MempoolEntry[]
  payTo: string
  /** Seconds; the block's time is this or the least time allowed, whichever is later. */
  now: number
  /** Free bytes in the coinbase so two miners paying the same address don't build the same block. */
  extra: Uint8Array
}

export function blockTemplate (input: TemplateInput, params: ChainParams): Block {
  const height = input.parent.height + 1
  let room = params.maxBlockBytes - BLOCK_OVERHEAD_BYTES
  const chosen = []
  let fees = 0
  for (const entry of input.waiting) {
    if (entry.size > room) break
    room -= entry.size
    fees += entry.fee
    chosen.push(entry.tx)
  }
  const coinbase = coinbaseTx(height, [{ amount: blockReward(params, height) + fees, pkh: input.payTo }], input.extra)
  const txs = [coinbase, ...chosen]
  return {
    header: { version: 1, prevHash: input.parent.hash, merkleRoot: merkleRoot(txs.map(txid)), time: Math.max(input.now, input.minTime), bits: input.bits, nonce: 0 },
    txs
  }
}
