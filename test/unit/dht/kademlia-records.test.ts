// Tidepool's put/get records on Kademlia: namespaced keys and a validator that refuses garbage.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { KademliaRecordError, MAX_RECORD_BYTES, decodeRecord, encodeRecord, recordKey, recordValidators } from '../../../p2p/dht/kademlia/records.ts'

test('records round-trip under the /tidepool/ namespace', () => {
  assert.equal(new TextDecoder().decode(recordKey('a/b')), '/tidepool/a/b')
  assert.deepEqual(decodeRecord(encodeRecord({ publisher: 'p', value: 'v' })), { publisher: 'p', value: 'v' })
})

test('the validator refuses non-JSON, wrong shapes, extra fields and oversized records', () => {
  const validate = recordValidators.tidepool!
  const key = recordKey('k')
  for (const bad of ['{', '[]', '{"publisher":"p"}', '{"publisher":"p","value":"v","x":1}']) {
    assert.throws(() => { validate(key, new TextEncoder().encode(bad)) }, KademliaRecordError, bad)
  }
  assert.throws(() => { validate(key, new Uint8Array(MAX_RECORD_BYTES + 1)) }, KademliaRecordError)
  assert.doesNotThrow(() => { validate(key, encodeRecord({ publisher: 'p', value: 'v' })) })
})
