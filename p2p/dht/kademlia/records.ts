// Pure: Tidepool's put/get records on Kademlia. They live under the `/tidepool/<key>` namespace, their
// value is JSON { publisher, value }; kad-dht runs the validator on every record it stores or receives,
// and keeps one record per key (the selector takes the first valid one).
import { z } from 'zod'
import type { DhtRecord } from '../index.ts'

export const RECORD_NAMESPACE = 'tidepool'
export const MAX_RECORD_BYTES = 8 * 1024

const StoredRecord = z.object({ publisher: z.string().min(1).max(128), value: z.string().max(4096) }).strict()

export class KademliaRecordError extends Error {
  override name = 'KademliaRecordError'
  readonly code = 'invalid-record'
}

export function recordKey (key: string): Uint8Array {
  return new TextEncoder().encode(`/${RECORD_NAMESPACE}/${key}`)
}

export function encodeRecord (record: DhtRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record))
}

export function decodeRecord (bytes: Uint8Array): DhtRecord {
  if (bytes.byteLength > MAX_RECORD_BYTES) throw new KademliaRecordError(`record over ${MAX_RECORD_BYTES} bytes`)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new KademliaRecordError(`record is not JSON: ${(err as Error).message}`)
  }
  const parsed = StoredRecord.safeParse(json)
  if (!parsed.success) throw new KademliaRecordError(`record is not { publisher, value }: ${parsed.error.message}`)
  return parsed.data
}

/** kad-dht's validators and selectors for our namespace. */
export const recordValidators = { [RECORD_NAMESPACE]: (_key: Uint8Array, value: Uint8Array): void => { decodeRecord(value) } }
export const recordSelectors = { [RECORD_NAMESPACE]: (): number => 0 }
