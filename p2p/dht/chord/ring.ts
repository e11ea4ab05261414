// Pure: arithmetic on Chord's identifier circle. Ids are bigints in [0, 2^bits); Tidepool uses 160 bits
// (SHA-1 of the peer id), the lecture's examples use 6.
import { sha1 } from '@noble/hashes/legacy.js'

export const ID_BITS = 160

export class RingSpace {
  readonly bits: number
  readonly size: bigint

  constructor (bits: number) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 256) throw new RangeError(`a ring has 1-256 bits, not ${bits}`)
    this.bits = bits
    this.size = 1n << BigInt(bits)
  }

  contains (id: bigint): boolean {
    return id >= 0n && id < this.size
  }

  /** Clockwise distance from a to b (0 when equal). */
  distance (a: bigint, b: bigint): bigint {
    return b >= a ? b - a : b + this.size - a
  }

  /** n + 2^i on the circle: where finger i starts. */
  fingerStart (n: bigint, i: number): bigint {
    return (n + (1n << BigInt(i))) % this.size
  }

  /** x in the open arc (a, b); when a == b the arc is the whole circle except a. */
  between (x: bigint, a: bigint, b: bigint): boolean {
    if (a === b) return x !== a
    return a < b ? x > a && x < b : x > a || x < b
  }

  /** x in the half-open arc (a, b]: "b is x's successor, coming from a". When a == b, every x. */
  betweenRightInclusive (x: bigint, a: bigint, b: bigint): boolean {
    return x === b || this.between(x, a, b)
  }
}

export const TIDEPOOL_RING = new RingSpace(ID_BITS)

export function idFromBytes (bytes: Uint8Array): bigint {
  let id = 0n
  for (const byte of bytes) id = (id << 8n) | BigInt(byte)
  return id
}

/** A peer's or key's place on the 160-bit ring: SHA-1 of its text (a peer id string, a CID string). */
export function chordId (text: string): bigint {
  return idFromBytes(sha1(new TextEncoder().encode(text)))
}

/** 40 hex digits, the wire and API form of an id. */
export function idToHex (id: bigint, space: RingSpace = TIDEPOOL_RING): string {
  return id.toString(16).padStart(Math.ceil(space.bits / 4), '0')
}
