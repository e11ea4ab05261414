// Addresses: Base58Check of a version byte and the 20-byte hash160 of an Ed25519 public key, so a
// mistyped address fails its checksum. The version byte names the signature scheme: an address of the
// first chains (BIP340 Schnorr keys, version 0x41) is refused here, since coins sent to it could never
// be spent (its owner's wallet signs with another key now).
import { ripemd160 } from '@noble/hashes/legacy.js'
import { createBase58check } from '@scure/base'
import { sha256 } from './hash.ts'
import { toHex } from './codec.ts'

const base58check = createBase58check(sha256)
const ADDRESS_VERSION = 0x42
/** Addresses of the Schnorr chains: still shown (as a wallet's former address), never paid. */
const LEGACY_ADDRESS_VERSION = 0x41

export class AddressError extends Error {
  override name = 'AddressError'
  readonly code = 'bad-address'
}

export function pubKeyHash (publicKey: Uint8Array): string {
  return toHex(ripemd160(sha256(publicKey)))
}

function encode (version: number, pkh: string): string {
  return base58check.encode(Uint8Array.of(version, ...Buffer.from(pkh, 'hex')))
}

export function encodeAddress (pkh: string): string {
  return encode(ADDRESS_VERSION, pkh)
}

/** The address a key hash had on the Schnorr chains, before the change of signature scheme. */
export function encodeLegacyAddress (pkh: string): string {
  return encode(LEGACY_ADDRESS_VERSION, pkh)
}

/** The key hash an address names; AddressError if the checksum, length or version is wrong. */
export function decodeAddress (address: string): string {
  let bytes: Uint8Array
  try {
    bytes = base58check.decode(address)
  } catch (err) {
    throw new AddressError(`not an address (${(err as Error).message}): check for a typo`)
  }
  if (bytes.byteLength === 21 && bytes[0] === LEGACY_ADDRESS_VERSION) {
    throw new AddressError('an address of the old Schnorr chain: its coins stayed there, and coins sent to it here could never be spent; ask for a new address')
  }
  if (bytes.byteLength !== 21 || bytes[0] !== ADDRESS_VERSION) throw new AddressError('not a Tidepool ledger address')
  return toHex(bytes.subarray(1))
}

export { newSecretKey, publicKeyOf } from './signature.ts'
