// DHT keys are CIDs. Text that is not a CID is named by the CIDv1 (raw codec) of its SHA-256.
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

export async function keyToCid (key: string): Promise<CID> {
  try {
    return CID.parse(key)
  } catch {
    return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(key)))
  }
}
