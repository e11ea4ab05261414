// Keys and addresses: Schnorr (BIP340) keys on secp256k1; an address is Base58Check of a version
// byte and the 20-byte hash160 of the public key, so a mistyped address fails its checksum.
import { schnorr } from '@noble/curves/secp256k1.js'
import { ripemd160 } from '@noble/hashes/legacy.js'
import { createBase58check } from '@scure/base'
import { sha256 } from './hash.ts'
import { toHex } from './codec.ts'

const base58check = createBase58check(sha256)
const ADDRESS_VERSION = 0x41

export class AddressError extends Error {
  override name = 'AddressError'
  readonly code = 'bad-address'
}

export function pubKeyHash (publicKey: Uint8Array): string {
  return toHex(ripemd160(sha256(publicKey)))
}

export function encodeAddress (pkh: string): string {
  return base58check.encode(Uint8Array.of(ADDRESS_VERSION, ...Buffer.from(pkh, 'hex')))
}

/** The key hash an address names; AddressError if the checksum, length or version is wrong. */
export function decodeAddress (address: string): string {
  let bytes: Uint8Array
  try {
    bytes = base58check.decode(address)
  } catch (err) {
    throw new AddressError(`not an address (${(err as Error).message}): check for a typo`)
  }
  if (bytes.byteLength !== 21 || bytes[0] !== ADDRESS_VERSION) throw new AddressError('not a Tidepool ledger address')
  return toHex(bytes.subarray(1))
}

export function newSecretKey (): Uint8Array {
  return schnorr.utils.randomSecretKey()
}

export function publicKeyOf (secretKey: Uint8Array): Uint8Array {
  return schnorr.getPublicKey(secretKey)
}
