// Where Chord records belong (hand-over on join, ownership, expiry) and how they sit on disk (LevelDB).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { RingSpace, chordId, idToHex, TIDEPOOL_RING } from '../../../p2p/dht/chord/ring.ts'
import { ChordRoutingTable, type NodeRef } from '../../../p2p/dht/chord/routing-table.ts'
import { isExpired, ownedRecords, recordsToHandOver, type ChordRecord } from '../../../p2p/dht/chord/records.ts'
import { ChordRecordStore } from '../../../p2p/dht/chord/record-store.ts'
import { ChordProtocolError, fromWire, verifiedRecord } from '../../../p2p/dht/chord/protocol.ts'
import { MAX_CLOCK_SKEW_MS } from '../../../p2p/dht/chord/records.ts'
import { signRecord } from '../../../p2p/dht/signed-records.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

const SIX = new RingSpace(6)
const node = (id: number): NodeRef => ({ id: BigInt(id), peer: `n${id}` })
const rec = (keyId: number, expiresAt = 1000): ChordRecord => ({ keyId: keyId.toString(16).padStart(40, '0'), key: `k${keyId}`, publisher: 'p', value: 'v', expiresAt, signature: 'AA==' })

test('a node joining in front of us takes the records between our old predecessor and it', () => {
  const records = [rec(5), rec(11), rec(13), rec(15), rec(20)]
  // 20's old predecessor was 10; 15 joins: keys 11..15 move to 15, 20 keeps 20 (and 5 was never in its arc).
  assert.deepEqual(recordsToHandOver(records, SIX, node(10), node(15), node(20)).map(r => Number(BigInt(`0x${r.keyId}`))), [11, 13, 15])
})

test('a node owns the keys in (predecessor, self]; records expire', () => {
  const table = new ChordRoutingTable(node(20), { space: SIX, successorListLength: 3 })
  table.notify(node(10))
  assert.deepEqual(ownedRecords([rec(5), rec(11), rec(20), rec(21)], table).map(r => r.key), ['k11', 'k20'])
  assert.equal(isExpired(rec(1, 1000), 999), false)
  assert.equal(isExpired(rec(1, 1000), 1000), true)
})

test('wire checks: a node\'s id must be SHA-1 of its peer id; a record\'s key id must be SHA-1 of its key, its lifetime bounded and its publisher\'s signature good', async () => {
  const peer = '12D3KooWGRUVh6kVtUP6zLvoe8jZ7nxsBWnGm3jyK3YzJ3e8i2Vq'
  assert.equal(fromWire({ peer, id: idToHex(chordId(peer)), addrs: [] }).id, chordId(peer))
  assert.throws(() => fromWire({ peer, id: idToHex(chordId(peer) ^ 1n), addrs: [] }), ChordProtocolError)
  const key = await generateKeyPair('Ed25519')
  const signed = async (fields: { key: string, value: string, expiresAt: number }): Promise<ChordRecord> => {
    const all = { ...fields, publisher: peerIdFromPrivateKey(key).toString() }
    return { keyId: idToHex(chordId(fields.key)), ...all, signature: await signRecord(key, all) }
  }
  const wire = await signed({ key: 'key', value: 'v', expiresAt: 1500 })
  assert.deepEqual(await verifiedRecord(wire, 1000, 500), wire)
  await assert.rejects(verifiedRecord({ ...wire, value: 'altered' }, 1000, 500), ChordProtocolError)
  await assert.rejects(verifiedRecord({ ...wire, expiresAt: 1600 }, 1000, 500), ChordProtocolError) // a replica stretching its life
  await assert.rejects(verifiedRecord({ ...wire, keyId: idToHex(chordId('other')) }, 1000, 500), ChordProtocolError)
  await assert.rejects(verifiedRecord(await signed({ key: 'key', value: 'v', expiresAt: 1500 + MAX_CLOCK_SKEW_MS + 1 }), 1000, 500), ChordProtocolError)
  assert.equal(TIDEPOOL_RING.bits, 160)
})

test('the record store keeps the longest-lived copy per (key, publisher), survives a reopen and drops expired records', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-chord-store-'))
  try {
    const open = async (): Promise<Level<string, Uint8Array>> => {
      const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
      await db.open()
      return db
    }
    const keyId = idToHex(chordId('key'))
    const base = { keyId, key: 'key', value: 'v', signature: 'AA==' }
    const alice = '12D3KooW' + 'A'.repeat(44)
    const bob = '12D3KooW' + 'B'.repeat(44)
    let db = await open()
    let store = new ChordRecordStore(db)
    assert.equal(await store.putMany([{ ...base, publisher: alice, expiresAt: 2000 }, { ...base, publisher: bob, expiresAt: 1500 }], 1000), 2)
    assert.equal(await store.putMany([{ ...base, publisher: alice, expiresAt: 1800 }], 1000), 0) // older copy: ignored
    await db.close()
    db = await open()
    store = new ChordRecordStore(db)
    assert.deepEqual((await store.get(keyId, 1000)).map(r => [r.publisher, r.expiresAt]), [[alice, 2000], [bob, 1500]])
    assert.deepEqual((await store.get(keyId, 1600)).map(r => r.publisher), [alice])
    assert.equal(await store.expire(1600), 1)
    assert.equal((await store.all(0)).length, 1)
    await db.close()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('the record store keeps to its limits, counting what is already on disk after a reopen', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tidepool-chord-limits-'))
  const limits = { maxRecordBytes: 1024, maxRecords: 3, maxPerPublisher: 2 }
  const record = (key: string, publisher: string, value = 'v'): ChordRecord => ({ keyId: idToHex(chordId(key)), key, publisher, value, expiresAt: 2000, signature: 'AA==' })
  const alice = '12D3KooW' + 'A'.repeat(44)
  const bob = '12D3KooW' + 'B'.repeat(44)
  try {
    let db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    let store = new ChordRecordStore(db, limits)
    assert.equal(await store.putMany([record('k1', alice), record('k2', alice), record('k3', alice)], 1000), 2) // quota 2
    assert.equal(await store.putMany([record('k1', alice, 'x'.repeat(2000))], 1000), 0) // too large
    await db.close()
    db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    store = new ChordRecordStore(db, limits)
    assert.equal(await store.putMany([record('k4', alice)], 1000), 0) // still over quota after the reopen
    assert.equal(await store.putMany([{ ...record('k1', alice), expiresAt: 3000 }], 1000), 1) // a replacement fits
    assert.equal(await store.putMany([record('k5', bob), record('k6', bob)], 1000), 1) // the store is full at 3
    assert.equal(await store.expire(2500), 2) // alice's k2 and bob's k5 expire; k1 lives on
    assert.equal(await store.putMany([record('k6', bob)], 1000), 1)
    await db.close()
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
