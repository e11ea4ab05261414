// The ledger's Ed25519 signatures (node:crypto) on the fast paths: one bad signature among a hundred in a
// block, the same with the other ninety-nine already verified by the mempool, a transaction signed with
// the Schnorr scheme of the first chains, one replayed from another chain, and the strict encodings that
// keep Node's OpenSSL and Electron's BoringSSL agreeing — each refused with its code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { schnorr } from '@noble/curves/secp256k1.js'
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js'
import { MemoryChain, newKey, spend, type Key } from './block-builder.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import type { Block, Transaction } from '../../../p2p/ledger/rules/codec.ts'
import { blockHash, merkleRoot, txid } from '../../../p2p/ledger/rules/hash.ts'
import { blockReward, chainParams, coinbaseTx, genesisBlock, genesisHash, type ChainParams } from '../../../p2p/ledger/rules/params.ts'
import { AddressError, decodeAddress, encodeAddress, encodeLegacyAddress, pubKeyHash } from '../../../p2p/ledger/rules/address.ts'
import { sighash } from '../../../p2p/ledger/rules/tx.ts'
import { connectBlockTxs } from '../../../p2p/ledger/rules/block.ts'
import { SignatureCache } from '../../../p2p/ledger/rules/signature-cache.ts'
import { newSecretKey, publicKeyOf, signMessage, verifySignature } from '../../../p2p/ledger/rules/signature.ts'

const params = chainParams('test')
const refusedWith = (code: string) => (err: unknown) => err instanceof RuleError && err.code === code

/** A chain where `key` owns `count` mature outputs of one coinbase. */
function fundedChain (key: Key, count: number, chainParamsFor: ChainParams = params): { chain: MemoryChain, coins: Array<{ txid: string, index: number }> } {
  const chain = new MemoryChain(chainParamsFor)
  const share = Math.floor(blockReward(chainParamsFor, 1) / count)
  const block = chain.build({ coinbasePays: Array.from({ length: count }, () => ({ amount: share, pkh: key.pkh })) })
  chain.accept(block)
  chain.mine(chainParamsFor.coinbaseMaturity)
  return { chain, coins: Array.from({ length: count }, (_, index) => ({ txid: txid(block.txs[0]!), index })) }
}

function flipSignatureBit (tx: Transaction): Transaction {
  const unlock = Buffer.from(tx.inputs[0]!.unlock, 'hex')
  unlock[32 + 40]! ^= 0x01 // inside S
  return { ...tx, inputs: [{ ...tx.inputs[0]!, unlock: unlock.toString('hex') }] }
}

test('a block of 100 transactions with one bad signature is refused with bad-signature; without it, accepted', () => {
  const alice = newKey()
  const { chain, coins } = fundedChain(alice, 100)
  const txs = coins.map(coin => spend([coin], [{ amount: 1000, pkh: alice.pkh }], alice))
  const forged = [...txs]
  forged[57] = flipSignatureBit(txs[57]!)
  chain.expectRejected(chain.build({ txs: forged }), 'bad-signature')
  chain.accept(chain.build({ txs }))
})

test('with 99 signatures of a block already verified (the mempool\'s cache), the one bad signature is still refused', () => {
  const alice = newKey()
  const { chain, coins } = fundedChain(alice, 100)
  const txs = coins.map(coin => spend([coin], [{ amount: 1000, pkh: alice.pkh }], alice))
  const cache = new SignatureCache()
  txs.forEach((tx, i) => { if (i !== 99) cache.add(txid(tx), 0) })
  const forged = [...txs]
  forged[99] = flipSignatureBit(txs[99]!)
  const block = chain.build({ txs: forged })
  assert.throws(() => connectBlockTxs(block, chain.tip.height + 1, key => chain.coins.get(key), params, cache), refusedWith('bad-signature'))
  assert.equal(cache.hits, 99, 'the verified ones were skipped, the last one checked')
})

test('a transaction signed with BIP340 Schnorr, the scheme of the first chains, is refused with bad-signature', () => {
  const secretKey = schnorr.utils.randomSecretKey()
  const publicKey = schnorr.getPublicKey(secretKey)
  const owner: Key = { secretKey, pkh: pubKeyHash(publicKey) }
  const { chain, coins } = fundedChain(owner, 1)
  const tx: Transaction = { version: 1, inputs: [{ prevTxid: coins[0]!.txid, prevIndex: 0, unlock: '' }], outputs: [{ amount: 1000, pkh: owner.pkh }], lockTime: 0 }
  // Signed over this chain's own message, so only the scheme is wrong: same unlock size, same key hash.
  tx.inputs[0]!.unlock = Buffer.concat([publicKey, schnorr.sign(sighash(tx, 0, params), secretKey)]).toString('hex')
  chain.expectRejected(chain.build({ txs: [tx] }), 'bad-signature')
})

test('a transaction replayed from another chain, where the same coins exist, is refused with bad-signature', () => {
  const alice = newKey()
  const home = fundedChain(alice, 1, chainParams('test'))
  const other = fundedChain(alice, 1, chainParams('test-b'))
  assert.deepEqual(home.coins, other.coins, 'both chains hold the same coinbase output')
  const tx = spend(home.coins, [{ amount: 1000, pkh: alice.pkh }], alice, home.chain.params)
  home.chain.accept(home.chain.build({ txs: [tx] }))
  other.chain.expectRejected(other.chain.build({ txs: [tx] }), 'bad-signature')
  // Signed for its own chain, the same spend is good there.
  other.chain.accept(other.chain.build({ txs: [spend(other.coins, [{ amount: 1000, pkh: alice.pkh }], alice, other.chain.params)] }))
})

test('strict encodings: an S at or above the group order is refused, though S + L verifies in some libraries', () => {
  const secretKey = newSecretKey()
  const message = new Uint8Array(32).fill(7)
  const signature = signMessage(message, secretKey)
  const publicKey = publicKeyOf(secretKey)
  assert.equal(verifySignature(signature, message, publicKey), true)
  const order = 2n ** 252n + 27742317777372353535851937790883648493n
  const s = BigInt('0x' + Buffer.from(signature.subarray(32)).reverse().toString('hex'))
  const malleated = new Uint8Array(signature)
  malleated.set(Buffer.from((s + order).toString(16).padStart(64, '0'), 'hex').reverse(), 32)
  assert.equal(verifySignature(malleated, message, publicKey), false)
  // A key whose y is not reduced mod p (2^255 − 1 is p + 18): never a key, whatever a library makes of it.
  assert.equal(verifySignature(signature, message, new Uint8Array(32).fill(0xff).map((b, i) => i === 31 ? 0x7f : b)), false)
  assert.equal(verifySignature(signature.subarray(0, 63), message, publicKey), false)
})

test('strict encodings: a key of small order is refused, though OpenSSL takes R = [S]B as its signature of anything', () => {
  const scalar = 12_345_678_901_234_567_890n
  const r = ed25519.Point.BASE.multiply(scalar).toBytes()
  const s = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex').reverse()
  const forgery = Buffer.concat([r, s])
  for (const hex of ED25519_TORSION_SUBGROUP) {
    assert.equal(verifySignature(forgery, new TextEncoder().encode('pay Mallory'), Buffer.from(hex, 'hex')), false, hex)
  }
  // R of small order, with an honest key: refused too.
  const secretKey = newSecretKey()
  const withSmallR = new Uint8Array(signMessage(new Uint8Array(32), secretKey))
  withSmallR.set(Buffer.from(ED25519_TORSION_SUBGROUP[0]!, 'hex'), 0)
  assert.equal(verifySignature(withSmallR, new Uint8Array(32), publicKeyOf(secretKey)), false)
})

test('the chain\'s identity names its scheme: a genesis unlike the Schnorr chains\' one, and their addresses refused', () => {
  const schnorrGenesisCoinbase = coinbaseTx(0, [{ amount: 0, pkh: '00'.repeat(20) }], new TextEncoder().encode('tidepool ledger test'))
  const schnorrGenesis: Block = { header: { ...genesisBlock(params).header, merkleRoot: merkleRoot([txid(schnorrGenesisCoinbase)]) }, txs: [schnorrGenesisCoinbase] }
  assert.notEqual(genesisHash(params), blockHash(schnorrGenesis.header))
  const pkh = newKey().pkh
  assert.equal(decodeAddress(encodeAddress(pkh)), pkh)
  assert.throws(() => decodeAddress(encodeLegacyAddress(pkh)), (err: unknown) => err instanceof AddressError && err.code === 'bad-address' && /old Schnorr chain/.test(err.message))
})
