// Tidepool's put/get records on Kademlia. They live under the `/tidepool/<key>` namespace, their value
// is JSON { publisher, value, signature } signed by the publisher (../signed-records.ts); kad-dht runs the
// validator on every record it stores or receives, so an altered or forged record is refused, and keeps
// one record per key (the selector takes the first valid one).
import { z } from 'zod'
import type { PrivateKey } from '@libp2p/interface'
import type { DhtRecord } from '../index.ts'
import { MAX_SIGNATURE_CHARS, SIGNATURE_PATTERN, hasPublisherSignature, signRecord } from '../signed-records.ts'

export const RECORD_NAMESPACE = 'tidepool'
export const MAX_RECORD_BYTES = 8 * 1024

const StoredRecord = z.object({
  publisher: z.string().min(1).max(128),
  value: z.string().max(4096),
  signature: z.string().max(MAX_SIGNATURE_CHARS).regex(SIGNATURE_PATTERN)
}).strict()
type StoredRecord = z.infer<typeof StoredRecord>

export class KademliaRecordError extends Error {
  override name = 'KademliaRecordError'
  readonly code = 'invalid-record'
}

const PREFIX = `/${RECORD_NAMESPACE}/`

export function recordKey (key: string): Uint8Array {
  return new TextEncoder().encode(PREFIX + key)
}

/** The record this peer puts: its value, signed with its key. */
export async function encodeRecord (privateKey: PrivateKey, publisher: string, key: string, value: string): Promise<Uint8Array> {
  const record: StoredRecord = { publisher, value, signature: await signRecord(privateKey, { key, publisher, value }) }
  return new TextEncoder().encode(JSON.stringify(record))
}

/** A record as stored under a DHT key, accepted only with its publisher's signature over that key and value. */
export async function decodeRecord (dhtKey: Uint8Array, bytes: Uint8Array): Promise<DhtRecord> {
  const keyText = new TextDecoder().decode(dhtKey)
  if (!keyText.startsWith(PREFIX)) throw new KademliaRecordError(`key ${JSON.stringify(keyText.slice(0, 64))} is not in /${RECORD_NAMESPACE}/`)
  const record = parseRecord(bytes)
  if (!await hasPublisherSignature({ key: keyText.slice(PREFIX.length), publisher: record.publisher, value: record.value }, record.signature)) {
    throw new KademliaRecordError(`record is not signed by its publisher ${record.publisher}`)
  }
  return { publisher: record.publisher, value: record.value }
}

function parseRecord (bytes: Uint8Array): StoredRecord {
  if (bytes.byteLength > MAX_RECORD_BYTES) throw new KademliaRecordError(`record over ${MAX_RECORD_BYTES} bytes`)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new KademliaRecordError(`record is not JSON: ${(err as Error).message}`)
  }
  const parsed = StoredRecord.safeParse(json)
  if (!parsed.success) throw new KademliaRecordError(`record is not { publisher, value, signature }: ${parsed.error.message}`)
  return parsed.data
}

/** kad-dht's validators and selectors for our namespace. */
export const recordValidators = { [RECORD_NAMESPACE]: async (key: Uint8Array, value: Uint8Array): Promise<void> => { await decodeRecord(key, value) } }
export const recordSelectors = { [RECORD_NAMESPACE]: (): number => 0 }
