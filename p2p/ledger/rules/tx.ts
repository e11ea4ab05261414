// Transaction rules: the context-free checks, then the checks against the coins being spent
// (existence, maturity, ownership, signature, no overspend). Pure; the caller looks the coins up.
import { RuleError } from './codes.ts'
import { COINBASE_INDEX, NULL_HASH, encodeTx, encodedTxBytes, fromHex, toHex, type Transaction } from './codec.ts'
import { sha256d, txid } from './hash.ts'
import type { SignatureCache } from './signature-cache.ts'
import { pubKeyHash } from './address.ts'
import { BoundedCache } from './bounded-cache.ts'
import { MAX_MONEY, genesisHash, type ChainParams } from './params.ts'
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, publicKeyOf, signMessage, verifySignature } from './signature.ts'

/** An unspent output as the chain keeps it. */
export interface Coin {
  amount: number
  pkh: string
  /** Height of the block that created it. */
  height: number
  coinbase: boolean
}

export type CoinLookup = (outpoint: string) => Coin | undefined

const COINBASE_UNLOCK_MIN = 4
const COINBASE_UNLOCK_MAX = 100

export function outpointKey (txid: string, index: number): string {
  return `${txid}:${index}`
}

export function isCoinbase (tx: Transaction): boolean {
  return tx.inputs.length === 1 && tx.inputs[0]!.prevTxid === NULL_HASH && tx.inputs[0]!.prevIndex === COINBASE_INDEX
}

/**
 * What each input signs: the whole transaction with every unlock emptied, the input's index, and the
 * chain's genesis hash — so a signature is good on one chain only, never replayed onto another where
 * the same coins exist (two test chains mine identical coinbases). Returns the message per index; the
 * blanked transaction is encoded once.
 */
export function sighashes (tx: Transaction, params: ChainParams): (index: number) => Uint8Array {
  const blank = encodeTx({ ...tx, inputs: tx.inputs.map(input => ({ ...input, unlock: '' })) })
  const message = Buffer.allocUnsafe(blank.byteLength + 4 + 32)
  message.set(blank)
  message.write(genesisHash(params), blank.byteLength + 4, 'hex')
  return index => {
    message.writeUInt32LE(index, blank.byteLength)
    return sha256d(message)
  }
}

export function sighash (tx: Transaction, index: number, params: ChainParams): Uint8Array {
  return sighashes(tx, params)(index)
}

export function signInput (tx: Transaction, index: number, secretKey: Uint8Array, params: ChainParams): string {
  return toHex(publicKeyOf(secretKey)) + toHex(signMessage(sighash(tx, index, params), secretKey))
}

/** Rules a transaction must meet on its own, wherever it appears. */
export function checkTransaction (tx: Transaction, params: ChainParams): void {
  if (tx.inputs.length === 0) throw new RuleError('tx-no-inputs', 'a transaction spends at least one output')
  if (tx.outputs.length === 0) throw new RuleError('tx-no-outputs', 'a transaction pays at least one output')
  const size = encodedTxBytes(tx)
  if (size > params.maxTxBytes) throw new RuleError('tx-too-large', `${size} bytes, limit ${params.maxTxBytes}`)
  let total = 0
  for (const output of tx.outputs) {
    if (!Number.isSafeInteger(output.amount) || output.amount < 0 || output.amount > MAX_MONEY) {
      throw new RuleError('bad-amount', `output amount ${output.amount} is not an integer in 0…${MAX_MONEY}`)
    }
    total += output.amount
    if (total > MAX_MONEY) throw new RuleError('output-total-too-large', `outputs pay over ${MAX_MONEY}`)
  }
  if (isCoinbase(tx)) {
    const length = tx.inputs[0]!.unlock.length / 2
    if (length < COINBASE_UNLOCK_MIN || length > COINBASE_UNLOCK_MAX) throw new RuleError('bad-unlock', `coinbase data is ${length} bytes`)
    return
  }
  const seen = new Set<string>()
  for (const input of tx.inputs) {
    if (input.prevTxid === NULL_HASH) throw new RuleError('bad-unlock', 'a spend names the null output')
    if (input.unlock.length !== (PUBLIC_KEY_BYTES + SIGNATURE_BYTES) * 2) throw new RuleError('bad-unlock', 'an unlock is a 32-byte key and a 64-byte signature')
    const key = outpointKey(input.prevTxid, input.prevIndex)
    if (seen.has(key)) throw new RuleError('duplicate-input', `${key} spent twice in one transaction`)
    seen.add(key)
  }
}

/**
 * hash160 of spends' keys, by the key's hex: a wallet spends with one key for life, and the hash runs in
 * JS (RIPEMD-160 is not in every node:crypto) at several microseconds a key. Only keys that decoded.
 */
const keyHashes = new BoundedCache<string, string>(4096)

function keyHashOf (keyHex: string): string {
  return keyHashes.getOrSet(keyHex, () => pubKeyHash(fromHex(keyHex)))
}

export interface InputCheckOptions {
  /** The code for an input whose coin is unknown: the mempool says so with its own policy code. */
  missingCode?: 'missing-input' | 'missing-input-mempool'
  /** Signatures verified before are not verified again; new successes are added. */
  signatures?: SignatureCache
  /** The transaction's id, when the caller has it already (the cache is keyed by it). */
  txid?: string
}

/**
 * Checks a (non-coinbase) transaction's inputs against the coins it spends at `height`;
 * returns the fee. Signatures are checked last, as they cost the most.
 */
export function checkTxInputs (tx: Transaction, coins: CoinLookup, height: number, params: ChainParams, options: InputCheckOptions = {}): number {
  const { missingCode = 'missing-input', signatures } = options
  let inputTotal = 0
  const spent: Coin[] = []
  for (const input of tx.inputs) {
    const key = outpointKey(input.prevTxid, input.prevIndex)
    const coin = coins(key)
    if (coin === undefined) throw new RuleError(missingCode, `${key} is not an unspent output`)
    if (coin.coinbase && height - coin.height < params.coinbaseMaturity) {
      throw new RuleError('immature-coinbase-spend', `${key} is a coinbase output of height ${coin.height}, spendable from height ${coin.height + params.coinbaseMaturity}`)
    }
    if (keyHashOf(input.unlock.slice(0, PUBLIC_KEY_BYTES * 2)) !== coin.pkh) throw new RuleError('wrong-key', `${key} belongs to another key`)
    inputTotal += coin.amount
    spent.push(coin)
  }
  const outputTotal = tx.outputs.reduce((sum, o) => sum + o.amount, 0)
  if (inputTotal < outputTotal) throw new RuleError('overspend', `spends ${inputTotal} but pays ${outputTotal}`)
  const id = signatures === undefined ? '' : options.txid ?? txid(tx)
  let messages: ((index: number) => Uint8Array) | undefined
  tx.inputs.forEach((input, index) => {
    if (signatures?.has(id, index) === true) return
    messages ??= sighashes(tx, params)
    // Key and signature decoded at once: one check of the hex, one buffer.
    const unlock = fromHex(input.unlock)
    if (!verifySignature(unlock.subarray(PUBLIC_KEY_BYTES), messages(index), unlock.subarray(0, PUBLIC_KEY_BYTES))) throw new RuleError('bad-signature', `input ${index} is not signed by its key`)
    signatures?.add(id, index)
  })
  return inputTotal - outputTotal
}
