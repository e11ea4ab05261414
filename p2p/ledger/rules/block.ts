// Block rules in three steps, cheapest first: the header's proof of work, the header against its
// parent's chain (bits, time), the body on its own, then the body against the unspent outputs.
import { RuleError } from './codes.ts'
import { encodeTx, encodedBlockBytes, type Block, type BlockHeader } from './codec.ts'
import { blockHash, merkleRoot, txid, txidOfEncoded } from './hash.ts'
import { bitsToTarget, hashToBigInt } from './target.ts'
import { blockReward, type ChainParams } from './params.ts'
import { checkTransaction, checkTxInputs, isCoinbase, outpointKey, type Coin, type CoinLookup } from './tx.ts'
import type { SignatureCache } from './signature-cache.ts'

export function checkProofOfWork (header: BlockHeader, params: ChainParams): void {
  const target = bitsToTarget(header.bits)
  if (target <= 0n || target > bitsToTarget(params.powLimitBits)) throw new RuleError('bad-bits', `bits ${header.bits.toString(16)} out of range`)
  if (hashToBigInt(blockHash(header)) > target) throw new RuleError('bad-pow', 'hash above the target')
}

export interface HeaderContext {
  /** What the retarget rule demands after the parent. */
  expectedBits: number
  /** Median of the parent's last 11 timestamps. */
  medianTimePast: number
  /** The receiver's clock, seconds. */
  now: number
}

export function checkHeaderContext (header: BlockHeader, ctx: HeaderContext, params: ChainParams): void {
  if (header.version < 1) throw new RuleError('bad-version', `version ${header.version}`)
  if (header.bits !== ctx.expectedBits) throw new RuleError('bad-bits', `bits ${header.bits.toString(16)}, the retarget rule demands ${ctx.expectedBits.toString(16)}`)
  if (header.time <= ctx.medianTimePast) throw new RuleError('time-too-old', `time ${header.time} not after the median of the last 11 blocks, ${ctx.medianTimePast}`)
  if (header.time > ctx.now + params.maxFutureSeconds) throw new RuleError('time-too-new', `time ${header.time} more than ${params.maxFutureSeconds} s ahead of ${ctx.now}`)
}

/**
 * Everything about a block that needs no chain: size, coinbase placement, Merkle root, each tx alone.
 * Returns the txids and the transactions' encodings they were hashed from (the stored block joins them).
 */
export function checkBlockBody (block: Block, params: ChainParams): { txids: string[], encodedTxs: Uint8Array[] } {
  const size = encodedBlockBytes(block)
  if (size > params.maxBlockBytes) throw new RuleError('block-too-large', `${size} bytes, limit ${params.maxBlockBytes}`)
  if (block.txs.length === 0 || !isCoinbase(block.txs[0]!)) throw new RuleError('no-coinbase', 'the first transaction must be the coinbase')
  if (block.txs.slice(1).some(isCoinbase)) throw new RuleError('multiple-coinbase', 'only the first transaction may be a coinbase')
  const encodedTxs = block.txs.map(encodeTx)
  const ids = encodedTxs.map(txidOfEncoded)
  // Also stops the duplicated-last-pair trick that gives two bodies one Merkle root (CVE-2012-2459).
  if (new Set(ids).size !== ids.length) throw new RuleError('duplicate-tx', 'a transaction appears twice')
  if (merkleRoot(ids) !== block.header.merkleRoot) throw new RuleError('bad-merkle-root', 'the header does not commit to these transactions')
  for (const tx of block.txs) checkTransaction(tx, params)
  return { txids: ids, encodedTxs }
}

/** What connecting a block does to the unspent outputs; `spent` is the undo data. */
export interface BlockEffects {
  spent: Array<[outpoint: string, coin: Coin]>
  created: Array<[outpoint: string, coin: Coin]>
  fees: number
  /** The block's transaction ids, in order (computed once here; the chain's history index reuses them). */
  txids: string[]
}

/**
 * The body against the unspent outputs at `height`; a tx may spend an output of an earlier tx in the block.
 * `signatures` skips signatures verified before (in the mempool, say); `txids`, if the caller has them
 * (from checkBlockBody), are not computed again.
 */
export function connectBlockTxs (block: Block, height: number, coins: CoinLookup, params: ChainParams, signatures?: SignatureCache, txids?: string[]): BlockEffects {
  const coinbase = block.txs[0]!
  if (Buffer.from(coinbase.inputs[0]!.unlock.slice(0, 8), 'hex').readUInt32LE(0) !== height) {
    throw new RuleError('bad-coinbase-height', `the coinbase must start with height ${height}`)
  }
  const inBlock = new Map<string, Coin>()
  const spentHere = new Set<string>()
  const lookup: CoinLookup = key => spentHere.has(key) ? undefined : inBlock.get(key) ?? coins(key)
  const effects: BlockEffects = { spent: [], created: [], fees: 0, txids: [] }
  block.txs.forEach((tx, position) => {
    const id = txids?.[position] ?? txid(tx)
    effects.txids.push(id)
    if (position > 0) {
      effects.fees += checkTxInputs(tx, lookup, height, params, { signatures, txid: id })
      for (const input of tx.inputs) {
        const key = outpointKey(input.prevTxid, input.prevIndex)
        const coin = lookup(key)!
        spentHere.add(key)
        // A coin made and spent inside this block never reaches the store.
        if (inBlock.delete(key)) continue
        effects.spent.push([key, coin])
      }
    }
    tx.outputs.forEach((output, index) => {
      inBlock.set(outpointKey(id, index), { amount: output.amount, pkh: output.pkh, height, coinbase: position === 0 })
    })
  })
  const paid = coinbase.outputs.reduce((sum, o) => sum + o.amount, 0)
  const allowed = blockReward(params, height) + effects.fees
  if (paid > allowed) throw new RuleError('bad-coinbase-amount', `coinbase pays ${paid}, reward plus fees is ${allowed}`)
  effects.created = [...inBlock]
  return effects
}
