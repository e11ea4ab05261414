// Which ends of an inbound Kademlia stream are the sender's fault: what libp2p's kad-dht and its decoders
// throw at broken frames is; its idle timeout (an honest asker's stream ends so), our own failures (a full
// disk) and anything unknown are not.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { kademliaFault } from '../../../p2p/dht/kademlia/conduct.ts'
import { StoreError } from '../../../p2p/store/index.ts'

const named = (name: string, message = name): Error => Object.assign(new Error(message), { name })

test('decode errors and refused messages are malformed; a timeout and the rest are no fault', () => {
  const table: Array<[Error, string | undefined]> = [
    [new RangeError('index out of range: 3 + 10 > 3'), 'malformed'],
    [named('InvalidMessageError', 'Missing key'), 'malformed'],
    [named('InvalidRecordError'), 'malformed'],
    [named('InvalidDataLengthError', 'message length too long'), 'malformed'],
    [named('TimeoutError', 'Timed out'), undefined],
    [new StoreError('disk-full', 'the disk is full'), undefined],
    [named('PutFailedError'), undefined],
    [named('AbortError'), undefined],
    [new Error('connection closed'), undefined]
  ]
  for (const [err, code] of table) assert.equal(kademliaFault(err)?.code, code, `${err.name}: ${err.message}`)
})
