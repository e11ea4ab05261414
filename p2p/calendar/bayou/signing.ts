// Signatures on writes and commit notices: Ed25519 by the author's peer key. An Ed25519 libp2p peer id
// is the identity multihash of the public key, so the id alone is enough to verify.
import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto'
import { base58btc } from 'multiformats/bases/base58'

/** Identity multihash (0x00, 36 bytes) of the protobuf PublicKey {Type: Ed25519 (1), Data: 32 bytes}. */
const PEER_ID_PREFIX = Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20])

export function peerIdFromPublicKey (publicKey: Uint8Array): string {
  const bytes = new Uint8Array(PEER_ID_PREFIX.length + 32)
  bytes.set(PEER_ID_PREFIX)
  bytes.set(publicKey, PEER_ID_PREFIX.length)
  return base58btc.encode(bytes).slice(1) // peer ids are written without the multibase prefix
}

/** The Ed25519 public key inside a peer id, or null when the id is not an Ed25519 one. */
export function publicKeyFromPeerId (peerId: string): Uint8Array | null {
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode(`z${peerId}`)
  } catch {
    return null
  }
  if (bytes.length !== PEER_ID_PREFIX.length + 32) return null
  for (let i = 0; i < PEER_ID_PREFIX.length; i++) if (bytes[i] !== PEER_ID_PREFIX[i]) return null
  return bytes.slice(PEER_ID_PREFIX.length)
}

const keyCache = new Map<string, KeyObject | null>()

function verifyingKey (peerId: string): KeyObject | null {
  let key = keyCache.get(peerId)
  if (key === undefined) {
    const raw = publicKeyFromPeerId(peerId)
    key = raw == null ? null : createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' })
    if (keyCache.size > 10_000) keyCache.clear()
    keyCache.set(peerId, key)
  }
  return key
}

export function verifySignature (author: string, message: Uint8Array, signature: string): boolean {
  const key = verifyingKey(author)
  if (key == null) return false
  try {
    return edVerify(null, message, key, Buffer.from(signature, 'base64url'))
  } catch {
    return false
  }
}

/** Signs as one peer: what a replica uses for its own writes and, as primary, its commit notices. */
export interface Signer {
  readonly author: string
  sign: (message: Uint8Array) => string
}

/** A signer from a raw Ed25519 key: 32-byte seed + 32-byte public key (libp2p's `privateKey.raw`). */
export function signerFromRawKey (raw: Uint8Array): Signer {
  const seed = raw.subarray(0, 32)
  const publicKey = raw.subarray(32, 64)
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(seed).toString('base64url'), x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk'
  })
  return {
    author: peerIdFromPublicKey(publicKey),
    sign: message => edSign(null, message, key).toString('base64url')
  }
}

/** Deterministic JSON (object keys sorted), so signer and verifier hash the same bytes. */
export function canonicalBytes (value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value))
}

export function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i])
    return out + ']'
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>
    const keys = Object.keys(object).sort() // by UTF-16 code units, as `<` compares strings
    let out = '{'
    for (const key of keys) {
      const v = object[key]
      if (v === undefined) continue
      out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v)
    }
    return out + '}'
  }
  return JSON.stringify(value)
}
