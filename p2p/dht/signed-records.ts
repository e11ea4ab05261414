// Records signed by their publisher, on Chord and Kademlia alike. The signature covers the key, the
// publisher, the value and (on Chord) the expiry, under the key the publisher's peer id names, so a node
// that stores or relays a record can drop it but can neither alter it nor forge one in another's name.
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'

/** Base64 of an Ed25519 (64 bytes) or secp256k1 (≤ 72 bytes DER) signature, with room to spare. */
export const MAX_SIGNATURE_CHARS = 128
export const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/

export interface SignedFields {
  key: string
  publisher: string
  value: string
  /** Chord records carry their expiry; Kademlia's lifetime is kad-dht's own and is not signed. */
  expiresAt?: number
}

/** What is signed: the fields in a fixed order, tagged so a record signature is never valid for anything else. */
function signingBytes (fields: SignedFields): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(['tidepool-dht-record/1', fields.key, fields.publisher, fields.value, fields.expiresAt ?? null]))
}

/** Signs fields as their publisher; privateKey must be the key of fields.publisher. */
export async function signRecord (privateKey: PrivateKey, fields: SignedFields): Promise<string> {
  return Buffer.from(await privateKey.sign(signingBytes(fields))).toString('base64')
}

/** Whether signature is the publisher's over exactly these fields; false for any malformed input. */
export async function hasPublisherSignature (fields: SignedFields, signature: string): Promise<boolean> {
  if (signature.length > MAX_SIGNATURE_CHARS || !SIGNATURE_PATTERN.test(signature)) return false
  try {
    // Only ids that embed their public key (Ed25519, secp256k1) can sign records; an RSA id cannot.
    const publicKey = peerIdFromString(fields.publisher).publicKey
    if (publicKey === undefined) return false
    return await publicKey.verify(signingBytes(fields), Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}
