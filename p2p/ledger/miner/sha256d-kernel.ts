// The proof-of-work hash loop in plain JavaScript with the midstate trick: a header's first 64 bytes
// don't change with the nonce, so their SHA-256 compression is done once per template; each nonce
// then costs two compressions (the header's second block, and the second SHA-256) and no allocation.
// Pure: no I/O; the worker thread runs it.

const K = Uint32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
)
const IV = Uint32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)

/** One SHA-256 compression: `out` = compress(`state`, the 16 words at the start of `w`); `w` is scratch of 64 words. */
function compress (state: Uint32Array, w: Uint32Array, out: Uint32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!
    const y = w[i - 2]!
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0
  }
  let a = state[0]!; let b = state[1]!; let c = state[2]!; let d = state[3]!
  let e = state[4]!; let f = state[5]!; let g = state[6]!; let h = state[7]!
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g; g = f; f = e; e = (d + t1) | 0
    d = c; c = b; b = a; a = (t1 + t2) | 0
  }
  out[0] = state[0]! + a; out[1] = state[1]! + b; out[2] = state[2]! + c; out[3] = state[3]! + d
  out[4] = state[4]! + e; out[5] = state[5]! + f; out[6] = state[6]! + g; out[7] = state[7]! + h
}

function bigEndianWords (bytes: Uint8Array, offset: number, count: number): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4)
  return Uint32Array.from({ length: count }, (_, i) => view.getUint32(i * 4))
}

const bswap = (n: number): number => (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0

/** The 32-byte target as eight big-endian words, for comparison with a hash word by word. */
export function targetWords (target: bigint): Uint32Array {
  return bigEndianWords(Buffer.from(target.toString(16).padStart(64, '0'), 'hex'), 0, 8)
}

/** One header template: its midstate computed once, then any nonce's double SHA-256 in two compressions. */
class HeaderKernel {
  private readonly w = new Uint32Array(64)
  private readonly mid = new Uint32Array(8)
  private readonly tail: Uint32Array
  private readonly first = new Uint32Array(8)
  readonly hash = new Uint32Array(8)

  constructor (header: Uint8Array) {
    this.w.set(bigEndianWords(header, 0, 16))
    compress(IV, this.w, this.mid)
    this.tail = bigEndianWords(header, 64, 3)
  }

  /** Fills `hash` with the double SHA-256 of the header carrying `nonce`. */
  run (nonce: number): Uint32Array {
    const w = this.w
    w[0] = this.tail[0]!; w[1] = this.tail[1]!; w[2] = this.tail[2]!; w[3] = bswap(nonce)
    w[4] = 0x80000000
    w.fill(0, 5, 15)
    w[15] = 640
    compress(this.mid, w, this.first)
    w.set(this.first)
    w[8] = 0x80000000
    w.fill(0, 9, 15)
    w[15] = 256
    compress(IV, w, this.hash)
    return this.hash
  }
}

/** Big-endian comparison, word by word: is the hash at or below the target? */
function meetsTarget (hash: Uint32Array, target: Uint32Array): boolean {
  for (let i = 0; i < 8; i++) {
    if (hash[i]! !== target[i]!) return hash[i]! < target[i]!
  }
  return true
}

/**
 * Searches nonces [from, to) of an 80-byte header (its nonce field ignored) for a double SHA-256 at
 * or below the target. Returns the nonce, or -1 if none in range.
 */
export function searchNonces (header: Uint8Array, target: Uint32Array, from: number, to: number): number {
  const kernel = new HeaderKernel(header)
  for (let nonce = from; nonce < to; nonce++) {
    if (meetsTarget(kernel.run(nonce), target)) return nonce
  }
  return -1
}

/** The double SHA-256 of a header carrying `nonce`, through the kernel (to check it against node:crypto). */
export function kernelHash (header: Uint8Array, nonce: number): Uint8Array {
  const hash = new HeaderKernel(header).run(nonce)
  const out = new Uint8Array(32)
  const view = new DataView(out.buffer)
  hash.forEach((word, i) => view.setUint32(i * 4, word))
  return out
}
