// Builds blocks and transactions with the real rules and keeps a chain in memory, so a test reads as
// "build block after block; expect accepted or rejected(code)". No network, no disk, clock passed in.
import assert from 'node:assert/strict'
import { RuleError, type RuleCode } from '../../../p2p/ledger/rules/codes.ts'
import type { Block, Transaction, TxOutput } from '../../../p2p/ledger/rules/codec.ts'
import { blockHash, merkleRoot, txid } from '../../../p2p/ledger/rules/hash.ts'
import { blockReward, chainParams, coinbaseTx, genesisBlock, type ChainParams } from '../../../p2p/ledger/rules/params.ts'
import { checkProofOfWork } from '../../../p2p/ledger/rules/block.ts'
import { childEntry, expectedBitsAfter, validateBlock, type Ancestry, type HeaderEntry } from '../../../p2p/ledger/rules/header-chain.ts'
import { outpointKey, signInput, type Coin } from '../../../p2p/ledger/rules/tx.ts'
import { newSecretKey, publicKeyOf, pubKeyHash } from '../../../p2p/ledger/rules/address.ts'
import { workOf } from '../../../p2p/ledger/rules/target.ts'

export interface Key { secretKey: Uint8Array, pkh: string }

export function newKey (): Key {
  const secretKey = newSecretKey()
  return { secretKey, pkh: pubKeyHash(publicKeyOf(secretKey)) }
}

/** Tries nonces until the header meets its target (about two tries on a test chain); bits out of range stay unsolved. */
export function solve (block: Block, params: ChainParams): Block {
  for (let nonce = 0; ; nonce++) {
    block.header.nonce = nonce
    try {
      checkProofOfWork(block.header, params)
      return block
    } catch (err) {
      if ((err as RuleError).code !== 'bad-pow') return block
    }
  }
}

/** A nonce whose hash misses the target. */
export function unsolve (block: Block, params: ChainParams): Block {
  for (let nonce = 0; ; nonce++) {
    block.header.nonce = nonce
    try { checkProofOfWork(block.header, params) } catch { return block }
  }
}

/** Signs every input with `key` for `params`' chain; outputs and inputs are final before signing. */
export function signAll (tx: Transaction, key: Key, params = chainParams('test')): Transaction {
  tx.inputs.forEach((input, i) => { input.unlock = signInput(tx, i, key.secretKey, params) })
  return tx
}

export function spend (coins: Array<{ txid: string, index: number }>, outputs: TxOutput[], key: Key, params = chainParams('test')): Transaction {
  return signAll({ version: 1, inputs: coins.map(c => ({ prevTxid: c.txid, prevIndex: c.index, unlock: '' })), outputs, lockTime: 0 }, key, params)
}

export interface BlockOptions {
  txs?: Transaction[]
  time?: number
  bits?: number
  version?: number
  coinbasePays?: TxOutput[]
  coinbaseHeight?: number
  /** Free bytes in the coinbase, to make otherwise equal blocks differ. */
  extra?: Uint8Array
  /** Change the block after the Merkle root is set and before it is solved. */
  tamper?: (block: Block) => void
}

/** A valid block on `parent` unless options break something; paying the reward to `pays`. */
export function buildBlock (params: ChainParams, parent: HeaderEntry, ancestry: Ancestry, options: BlockOptions = {}, pays: Key = FEE_SINK): Block {
  const height = parent.height + 1
  const coinbase = coinbaseTx(options.coinbaseHeight ?? height, options.coinbasePays ?? [{ amount: blockReward(params, height), pkh: pays.pkh }], options.extra)
  const block: Block = {
    header: {
      version: options.version ?? 1,
      prevHash: parent.hash,
      merkleRoot: '',
      time: options.time ?? parent.time + params.targetSpacing,
      bits: options.bits ?? expectedBitsAfter(parent, ancestry, params),
      nonce: 0
    },
    txs: [coinbase, ...options.txs ?? []]
  }
  block.header.merkleRoot = merkleRoot(block.txs.map(txid))
  options.tamper?.(block)
  return solve(block, params)
}

/** One chain in memory: a header tree plus the unspent outputs at its tip. */
export class MemoryChain {
  readonly params: ChainParams
  readonly entries = new Map<string, HeaderEntry>()
  readonly coins = new Map<string, Coin>()
  tip: HeaderEntry
  now: number

  constructor (params: ChainParams = chainParams('test')) {
    this.params = params
    const genesis = genesisBlock(params)
    this.tip = { hash: blockHash(genesis.header), parent: '', height: 0, time: genesis.header.time, bits: genesis.header.bits, chainWork: workOf(genesis.header.bits) }
    this.entries.set(this.tip.hash, this.tip)
    this.now = genesis.header.time + 1_000_000
  }

  ancestry = (hash: string, count: number): HeaderEntry[] => {
    const out: HeaderEntry[] = []
    let entry = this.entries.get(hash)
    while (entry !== undefined && out.length < count) { out.unshift(entry); entry = this.entries.get(entry.parent) }
    return out
  }

  /** A valid next block unless options break something. */
  build (options: BlockOptions = {}, pays: Key = FEE_SINK): Block {
    return buildBlock(this.params, this.tip, this.ancestry, options, pays)
  }

  /** Validates and connects; throws the RuleError of the first broken rule, changing nothing. */
  accept (block: Block): HeaderEntry {
    const effects = validateBlock(block, this.tip, this.ancestry, key => this.coins.get(key), this.now, this.params)
    for (const [key] of effects.spent) this.coins.delete(key)
    for (const [key, coin] of effects.created) this.coins.set(key, coin)
    const entry = childEntry(this.tip, blockHash(block.header), block.header)
    this.entries.set(entry.hash, entry)
    this.tip = entry
    return entry
  }

  mine (count: number, pays: Key = FEE_SINK): Block[] {
    return Array.from({ length: count }, () => { const b = this.build({}, pays); this.accept(b); return b })
  }

  expectRejected (block: Block, code: RuleCode): void {
    const tip = this.tip.hash
    const coins = this.coins.size
    assert.throws(() => this.accept(block), (err: unknown) => {
      assert.ok(err instanceof RuleError, `expected a RuleError, got ${String(err)}`)
      assert.equal(err.code, code, err.message)
      return true
    })
    assert.equal(this.tip.hash, tip, 'a refused block must not move the tip')
    assert.equal(this.coins.size, coins, 'a refused block must not touch the unspent outputs')
  }
}

export const FEE_SINK = newKey()

export function coinbaseOutpoint (block: Block): { txid: string, index: number } {
  return { txid: txid(block.txs[0]!), index: 0 }
}

export { outpointKey }
