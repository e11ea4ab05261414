// The ledger's signatures: Ed25519 (RFC 8032) through node:crypto — OpenSSL in Node, BoringSSL in
// Electron — about 15 times the BIP340 Schnorr of @noble/curves it replaced (bench:ledger prints both).
// A secret key is the 32-byte RFC 8032 seed; a public key the 32-byte point encoding.
//
// Consensus must not depend on which library verifies, so what the two might read differently is
// refused here first, as libsodium does: a key or R whose y is not below p (non-canonical), a key or R of
// small order (OpenSSL takes any signature with R = [S]B for the identity key, over any message), and an
// S not below the group order L. What remains is the same equation in both, checked by comparing
// canonical encodings.
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import { ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js'
import { BoundedCache } from './bounded-cache.ts'

export const PUBLIC_KEY_BYTES = 32
export const SIGNATURE_BYTES = 64
export const SECRET_KEY_BYTES = 32

/** DER prefixes of an Ed25519 PKCS#8 private key (the seed follows) and SPKI public key (the point follows). */
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const ORDER_LE = Buffer.from('1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed', 'hex').reverse()

/** y (the low 255 bits, little-endian) < p = 2^255 − 19: only 19 values of 2^255 are not. */
function isCanonicalPoint (encoding: Uint8Array): boolean {
  if ((encoding[31]! & 0x7f) !== 0x7f) return true
  for (let i = 30; i > 0; i--) if (encoding[i] !== 0xff) return true
  return encoding[0]! < 0xed
}

/** The y of each of the 8 points of small order (sign bit cleared): a key or R among them proves nothing. */
const SMALL_ORDER_Y = ED25519_TORSION_SUBGROUP.map(hex => {
  const y = Buffer.from(hex, 'hex')
  y[31]! &= 0x7f
  return y
})

/** Compared in place, byte by byte (most differ in the first): this runs twice per verification. */
function isSmallOrder (encoding: Uint8Array): boolean {
  return SMALL_ORDER_Y.some(y => {
    for (let i = 0; i < 31; i++) if (encoding[i] !== y[i]) return false
    return (encoding[31]! & 0x7f) === y[31]
  })
}

function isBelowOrder (scalar: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (scalar[i] !== ORDER_LE[i]) return scalar[i]! < ORDER_LE[i]!
  }
  return false
}

/**
 * Public keys already imported: importing one costs about a fifth of a verification (OpenSSL decodes the
 * DER anew each time), and a wallet signs with one key for life, so keys recur along a chain. Bounded,
 * least recently used first out; only keys that imported, and a key is checked in full on every use.
 */
const importedKeys = new BoundedCache<string, KeyObject>(4096)

function importPublicKey (publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64')
  return importedKeys.getOrSet(id, () => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }))
}

function privateKey (secretKey: Uint8Array): ReturnType<typeof createPrivateKey> {
  if (secretKey.byteLength !== SECRET_KEY_BYTES) throw new RangeError(`an Ed25519 secret key is ${SECRET_KEY_BYTES} bytes`)
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, secretKey]), format: 'der', type: 'pkcs8' })
}

export function newSecretKey (): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_KEY_BYTES))
}

export function publicKeyOf (secretKey: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKey(secretKey)).export({ format: 'der', type: 'spki' })
  return new Uint8Array(spki.subarray(SPKI_PREFIX.byteLength))
}

export function signMessage (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey(secretKey)))
}

/** True only for a strictly encoded signature by `publicKey` over `message`; never throws. */
export function verifySignature (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.byteLength !== SIGNATURE_BYTES || publicKey.byteLength !== PUBLIC_KEY_BYTES) return false
  const r = signature.subarray(0, 32)
  if (!isCanonicalPoint(publicKey) || !isCanonicalPoint(r) || !isBelowOrder(signature.subarray(32))) return false
  if (isSmallOrder(publicKey) || isSmallOrder(r)) return false
  try {
    return verify(null, message, importPublicKey(publicKey), signature)
  } catch {
    // A key that decodes to no point is a bad signature like any other.
    return false
  }
}
