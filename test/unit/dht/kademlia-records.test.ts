// Tidepool's put/get records on Kademlia: namespaced keys, signed by their publisher, and a validator
// that refuses garbage, altered and forged records.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { KademliaRecordError, MAX_RECORD_BYTES, decodeRecord, encodeRecord, recordKey, recordValidators } from '../../../p2p/dht/kademlia/records.ts'

const alice = await generateKeyPair('Ed25519')
const mallory = await generateKeyPair('Ed25519')
const publisher = peerIdFromPrivateKey(alice).toString()
const validate = recordValidators.tidepool!
const text = (bytes: Uint8Array): any => JSON.parse(new TextDecoder().decode(bytes))
const bytes = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json))

test('records round-trip under the /tidepool/ namespace', async () => {
  assert.equal(new TextDecoder().decode(recordKey('a/b')), '/tidepool/a/b')
  assert.deepEqual(await decodeRecord(recordKey('a/b'), await encodeRecord(alice, publisher, 'a/b', 'v')), { publisher, value: 'v' })
})

test('the validator refuses non-JSON, wrong shapes, extra fields and oversized records', async () => {
  const key = recordKey('k')
  for (const bad of ['{', '[]', '{"publisher":"p"}', '{"publisher":"p","value":"v","signature":"AA==","x":1}']) {
    await assert.rejects(validate(key, new TextEncoder().encode(bad)) as Promise<void>, KademliaRecordError, bad)
  }
  await assert.rejects(validate(key, new Uint8Array(MAX_RECORD_BYTES + 1)) as Promise<void>, KademliaRecordError)
  await validate(key, await encodeRecord(alice, publisher, 'k', 'v'))
})

test('the validator refuses a record altered by a relaying node, moved to another key, or forged in another\'s name', async () => {
  const record = text(await encodeRecord(alice, publisher, 'k', 'v'))
  await assert.rejects(validate(recordKey('k'), bytes({ ...record, value: 'altered' })) as Promise<void>, KademliaRecordError)
  await assert.rejects(validate(recordKey('other'), bytes(record)) as Promise<void>, KademliaRecordError)
  const forged = text(await encodeRecord(mallory, publisher, 'k', 'forged'))
  await assert.rejects(validate(recordKey('k'), bytes(forged)) as Promise<void>, KademliaRecordError)
  await assert.rejects(validate(new TextEncoder().encode('/pk/k'), bytes(record)) as Promise<void>, KademliaRecordError)
})
