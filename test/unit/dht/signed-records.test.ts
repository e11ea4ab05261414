// DHT records signed by their publisher: valid as signed, refused when any field is altered, when signed
// by someone else in the publisher's name, or when the signature is malformed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { hasPublisherSignature, signRecord } from '../../../p2p/dht/signed-records.ts'

const alice = await generateKeyPair('Ed25519')
const mallory = await generateKeyPair('Ed25519')
const fields = { key: 'k', publisher: peerIdFromPrivateKey(alice).toString(), value: 'v', expiresAt: 5000 }

test('a record verifies as its publisher signed it, with or without an expiry', async () => {
  assert.equal(await hasPublisherSignature(fields, await signRecord(alice, fields)), true)
  const { expiresAt: _, ...kademlia } = fields
  assert.equal(await hasPublisherSignature(kademlia, await signRecord(alice, kademlia)), true)
})

test('altering any signed field breaks the signature', async () => {
  const signature = await signRecord(alice, fields)
  for (const altered of [{ key: 'k2' }, { value: 'v2' }, { expiresAt: 6000 }, { expiresAt: undefined }, { publisher: peerIdFromPrivateKey(mallory).toString() }]) {
    assert.equal(await hasPublisherSignature({ ...fields, ...altered }, signature), false, JSON.stringify(altered))
  }
})

test('a record forged in another\'s name, or with a malformed signature, is refused', async () => {
  assert.equal(await hasPublisherSignature(fields, await signRecord(mallory, fields)), false)
  assert.equal(await hasPublisherSignature(fields, 'not base64!'), false)
  assert.equal(await hasPublisherSignature(fields, 'A'.repeat(200)), false)
  assert.equal(await hasPublisherSignature(fields, ''), false)
  assert.equal(await hasPublisherSignature({ ...fields, publisher: 'not-a-peer-id' }, await signRecord(alice, fields)), false)
})
