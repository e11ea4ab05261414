// The arithmetic under the block rules, checked against Bitcoin's own numbers where they exist.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bitsToTarget, targetToBits, workOf, medianTimePast, nextBits } from '../../../p2p/ledger/rules/target.ts'
import { blockHash, merkleRoot } from '../../../p2p/ledger/rules/hash.ts'
import { decodeTx, encodeTx, encodeHeader, decodeHeader, fromHex } from '../../../p2p/ledger/rules/codec.ts'
import { RuleError } from '../../../p2p/ledger/rules/codes.ts'
import { createHash } from 'node:crypto'
import { chainParams, genesisHash, blockReward, COIN } from '../../../p2p/ledger/rules/params.ts'
import { decodeAddress, encodeAddress, AddressError } from '../../../p2p/ledger/rules/address.ts'
import { hasMoreWork, reorgPath, type HeaderEntry } from '../../../p2p/ledger/rules/header-chain.ts'

const reverse = (hex: string): string => Buffer.from(hex, 'hex').reverse().toString('hex')

test("Bitcoin's genesis header encodes to 80 bytes and double-SHA-256es to its known hash", () => {
  const header = {
    version: 1,
    prevHash: '0'.repeat(64),
    merkleRoot: reverse('4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b'),
    time: 1231006505,
    bits: 0x1d00ffff,
    nonce: 2083236893
  }
  assert.equal(encodeHeader(header).byteLength, 80)
  assert.deepEqual(decodeHeader(encodeHeader(header)), header)
  assert.equal(reverse(blockHash(header)), '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f')
})

test("Merkle root of Bitcoin block 100 000's four transactions", () => {
  const ids = [
    '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87',
    'fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4',
    '6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4',
    'e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d'
  ].map(reverse)
  assert.equal(reverse(merkleRoot(ids)), 'f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766')
  assert.equal(merkleRoot([ids[0]!]), ids[0])
})

test('Merkle root of every count up to 33 (odd levels pair their last node with itself) matches the textbook tree', () => {
  const sha256d = (data: Buffer): Buffer => createHash('sha256').update(createHash('sha256').update(data).digest()).digest()
  const textbook = (ids: string[]): string => {
    let level: Buffer[] = ids.map(id => Buffer.from(id, 'hex'))
    while (level.length > 1) level = level.flatMap((node, i) => i % 2 === 1 ? [] : [sha256d(Buffer.concat([node, level[i + 1] ?? node]))])
    return level[0]!.toString('hex')
  }
  for (let count = 1; count <= 33; count++) {
    const ids = Array.from({ length: count }, (_, i) => createHash('sha256').update(`tx ${i}`).digest('hex'))
    assert.equal(merkleRoot(ids), textbook(ids), `${count} transactions`)
  }
})

test('hex fields stay lowercase, whole bytes: anything else is malformed', () => {
  const tx = { version: 1, inputs: [{ prevTxid: 'ab'.repeat(32), prevIndex: 0, unlock: 'cd'.repeat(96) }], outputs: [{ amount: 1, pkh: 'ef'.repeat(20) }], lockTime: 0 }
  assert.equal(decodeTx(encodeTx(tx)).inputs[0]!.unlock, tx.inputs[0]!.unlock)
  for (const unlock of ['CD'.repeat(96), 'cd'.repeat(95) + 'c', 'cd'.repeat(95) + 'cg']) {
    assert.throws(() => encodeTx({ ...tx, inputs: [{ ...tx.inputs[0]!, unlock }] }), (err: unknown) => err instanceof RuleError && err.code === 'malformed', unlock.slice(-4))
  }
  assert.throws(() => fromHex('abc'), (err: unknown) => err instanceof RuleError && err.code === 'malformed')
  assert.throws(() => fromHex('AB'), (err: unknown) => err instanceof RuleError && err.code === 'malformed')
  assert.deepEqual([...fromHex('00ff')], [0, 255])
})

test('compact bits: Bitcoin difficulty 1, round trips, and the sign bit', () => {
  assert.equal(bitsToTarget(0x1d00ffff), 0xffffn << 208n)
  for (const bits of [0x1d00ffff, 0x207fffff, 0x1e100000, 0x1b0404cb]) assert.equal(targetToBits(bitsToTarget(bits)), bits)
  assert.equal(targetToBits(0x80n), 0x02008000, 'a mantissa with its top bit set moves a byte into the exponent')
  assert.equal(bitsToTarget(0x04923456), -1n)
  assert.equal(workOf(0x1d00ffff), 0x100010001n)
})

test('median time past is the middle of the last 11, in any order', () => {
  assert.equal(medianTimePast([5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 11, 100]), 7)
  assert.equal(medianTimePast([3]), 3)
})

test('retarget: steady at the target spacing, damped and bounded when blocks come fast or slow', () => {
  const params = chainParams('main')
  const n = params.retargetWindow
  const expected = params.targetSpacing * n
  const bits = Array(n).fill(0x1d00ffff)
  const at = (actual: number): bigint => bitsToTarget(nextBits(params, 100, { bits, mtpNow: 10_000 + actual, mtpThen: 10_000 }))
  const base = bitsToTarget(0x1d00ffff)
  assert.equal(targetToBits(at(expected)), 0x1d00ffff)
  // Twice as fast: damped to a quarter of the error, so the target shrinks by 12.5 %, not 50 %.
  assert.ok(Math.abs(Number(at(expected / 2) * 1000n / base) - 875) <= 1)
  // Ten times as fast: -22.5 %; all at once or a thousand times slower: bounded to -25 % / +50 %.
  assert.ok(Math.abs(Number(at(expected / 10) * 1000n / base) - 775) <= 1)
  assert.ok(Math.abs(Number(at(0) * 1000n / base) - 750) <= 1)
  assert.ok(Math.abs(Number(at(expected * 1000) * 1000n / base) - 1500) <= 1)
  // Never easier than the chain's limit.
  assert.equal(nextBits(params, 100, { bits: Array(n).fill(params.powLimitBits), mtpNow: 10_000 + expected * 100, mtpThen: 10_000 }), params.powLimitBits)
  assert.equal(nextBits(chainParams('test'), 100, { bits, mtpNow: 1, mtpThen: 0 }), chainParams('test').powLimitBits)
})

test('each chain has its own genesis; rewards halve on schedule', () => {
  assert.notEqual(genesisHash(chainParams('main')), genesisHash(chainParams('test')))
  assert.notEqual(genesisHash(chainParams('test')), genesisHash(chainParams('test-b')))
  const test = chainParams('test')
  assert.equal(blockReward(test, 1), 50 * COIN)
  assert.equal(blockReward(test, test.halvingInterval), 25 * COIN)
  assert.equal(blockReward(test, test.halvingInterval * 64), 0)
})

test('transactions survive a round trip through bytes', () => {
  const tx = { version: 1, inputs: [{ prevTxid: 'ab'.repeat(32), prevIndex: 7, unlock: 'cd'.repeat(96) }], outputs: [{ amount: 21_000_000 * COIN, pkh: '01'.repeat(20) }], lockTime: 0 }
  assert.deepEqual(decodeTx(encodeTx(tx)), tx)
})

test('addresses carry a checksum: one changed character is refused', () => {
  const address = encodeAddress('5a'.repeat(20))
  assert.equal(decodeAddress(address), '5a'.repeat(20))
  const typo = address.slice(0, 5) + (address[5] === 'x' ? 'y' : 'x') + address.slice(6)
  assert.throws(() => decodeAddress(typo), AddressError)
  assert.throws(() => decodeAddress(''), AddressError)
})

test('fork choice follows cumulative work, not length: a short heavy branch beats a long light one', () => {
  const entries = new Map<string, HeaderEntry>()
  const add = (hash: string, parent: string, work: bigint): HeaderEntry => {
    const p = entries.get(parent)
    const e = { hash, parent, height: (p?.height ?? -1) + 1, time: 0, bits: 0, chainWork: (p?.chainWork ?? 0n) + work }
    entries.set(hash, e)
    return e
  }
  add('g', '', 1n)
  add('a1', 'g', 1n); add('a2', 'a1', 1n); const a3 = add('a3', 'a2', 1n)
  const b1 = add('b1', 'g', 5n)
  assert.ok(hasMoreWork(b1, a3))
  assert.ok(!hasMoreWork(a3, b1))
  assert.ok(!hasMoreWork(a3, a3), 'a tie keeps the first seen')
  const path = reorgPath(a3, b1, h => entries.get(h)!)
  assert.deepEqual(path.disconnect.map(e => e.hash), ['a3', 'a2', 'a1'])
  assert.deepEqual(path.connect.map(e => e.hash), ['b1'])
})
