// The binary forms that are hashed and signed: an 80-byte block header as Bitcoin's, transactions
// and blocks as length-prefixed fields (little-endian integers, CompactSize counts). In memory,
// hashes, key hashes and unlock data are lowercase hex, so they key maps and travel as JSON as-is.
import { RuleError } from './codes.ts'

export interface TxInput {
  /** The transaction whose output this spends; 64 zeros in a coinbase. */
  prevTxid: string
  prevIndex: number
  /** Public key (32) + signature (64) in a spend; the height and free data in a coinbase. */
  unlock: string
}

export interface TxOutput {
  /** Integer units (1 coin = 100 000 000); a safe integer, never a float. */
  amount: number
  /** The 20-byte public-key hash of the owner, hex. */
  pkh: string
}

export interface Transaction {
  version: number
  inputs: TxInput[]
  outputs: TxOutput[]
  lockTime: number
}

export interface BlockHeader {
  version: number
  prevHash: string
  merkleRoot: string
  time: number
  bits: number
  nonce: number
}

export interface Block {
  header: BlockHeader
  txs: Transaction[]
}

export const HEADER_BYTES = 80
export const NULL_HASH = '0'.repeat(64)
export const COINBASE_INDEX = 0xffffffff

/** Lowercase hex digits only; callers check the length is even. No capture group: V8 runs this far faster. */
const LOWER_HEX = /^[0-9a-f]*$/

export function toHex (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function fromHex (hex: string, length?: number): Uint8Array {
  if (hex.length % 2 !== 0 || !LOWER_HEX.test(hex) || (length !== undefined && hex.length !== length * 2)) {
    throw new RuleError('malformed', `not ${length ?? 'whole'}-byte lowercase hex`)
  }
  return Buffer.from(hex, 'hex')
}

/** Bytes of a CompactSize count. */
function countBytes (n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5
}

/**
 * Writes into one buffer sized beforehand: encoding runs several times per transaction as a block is
 * checked and connected (ids, size, signed messages), so no part is allocated on its own.
 */
class Writer {
  private readonly buffer: Buffer
  private offset = 0
  constructor (size: number) {
    this.buffer = Buffer.allocUnsafe(size)
  }

  /** Wraps as DataView did (ToUint32): Buffer's writer would throw on what a caller's object may hold. */
  u32 (n: number): this {
    this.offset = this.buffer.writeUInt32LE(n >>> 0, this.offset)
    return this
  }

  u64 (n: number): this {
    return this.u32(n % 2 ** 32).u32(Math.floor(n / 2 ** 32))
  }

  count (n: number): this {
    if (n < 0xfd) this.buffer[this.offset++] = n
    else if (n <= 0xffff) { this.buffer[this.offset++] = 0xfd; this.offset = this.buffer.writeUInt16LE(n & 0xffff, this.offset) } else { this.buffer[this.offset++] = 0xfe; this.u32(n) }
    return this
  }

  bytes (b: Uint8Array): this {
    this.buffer.set(b, this.offset)
    this.offset += b.byteLength
    return this
  }

  /** Lowercase hex of `length` bytes (fromHex's rule), decoded in place. */
  hex (hex: string, length: number): this {
    if (hex.length !== length * 2 || !LOWER_HEX.test(hex)) throw new RuleError('malformed', `not ${length}-byte lowercase hex`)
    this.offset += this.buffer.write(hex, this.offset, length, 'hex')
    return this
  }

  hash (hex: string): this {
    return this.hex(hex, 32)
  }

  done (): Uint8Array {
    if (this.offset !== this.buffer.byteLength) throw new Error(`encoded ${this.offset} of ${this.buffer.byteLength} bytes`)
    return this.buffer
  }
}

class Reader {
  private offset = 0
  private readonly view: DataView
  private readonly data: Uint8Array
  constructor (data: Uint8Array) {
    this.data = data
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  }

  private need (n: number): void {
    if (this.offset + n > this.data.byteLength) throw new RuleError('malformed', `truncated at byte ${this.offset}`)
  }

  u32 (): number {
    this.need(4)
    const n = this.view.getUint32(this.offset, true)
    this.offset += 4
    return n
  }

  u64 (): number {
    const n = this.u32() + this.u32() * 2 ** 32
    if (!Number.isSafeInteger(n)) throw new RuleError('malformed', 'amount beyond 2^53')
    return n
  }

  /** A CompactSize count, canonical (shortest form) only, and at most `max`. */
  count (max: number): number {
    this.need(1)
    const first = this.data[this.offset++]!
    let n = first
    if (first === 0xfd) {
      this.need(2)
      n = this.view.getUint16(this.offset, true)
      this.offset += 2
      if (n < 0xfd) throw new RuleError('malformed', 'non-canonical count')
    } else if (first === 0xfe) {
      n = this.u32()
      if (n <= 0xffff) throw new RuleError('malformed', 'non-canonical count')
    } else if (first === 0xff) {
      throw new RuleError('malformed', 'count too large')
    }
    if (n > max) throw new RuleError('malformed', `count ${n} over ${max}`)
    return n
  }

  bytes (n: number): Uint8Array {
    this.need(n)
    const b = this.data.subarray(this.offset, this.offset + n)
    this.offset += n
    return b
  }

  hash (): string {
    return toHex(this.bytes(32))
  }

  end (): void {
    if (this.offset !== this.data.byteLength) throw new RuleError('malformed', `${this.data.byteLength - this.offset} trailing bytes`)
  }
}

// Counts are capped while decoding, so a hostile count can't make us allocate before the size rules run.
const MAX_IO_COUNT = 10_000
const MAX_UNLOCK_BYTES = 200
const MAX_BLOCK_TXS = 100_000

export function encodeHeader (h: BlockHeader): Uint8Array {
  return new Writer(HEADER_BYTES).u32(h.version).hash(h.prevHash).hash(h.merkleRoot).u32(h.time).u32(h.bits).u32(h.nonce).done()
}

/** An unlock's bytes; a count of them for an odd-length string that writeTx then refuses as malformed. */
const unlockBytes = (input: TxInput): number => Math.ceil(input.unlock.length / 2)

function txBytes (tx: Transaction): number {
  let size = 4 + countBytes(tx.inputs.length) + countBytes(tx.outputs.length) + tx.outputs.length * (8 + 20) + 4
  for (const input of tx.inputs) size += 32 + 4 + countBytes(unlockBytes(input)) + unlockBytes(input)
  return size
}

function writeTx (w: Writer, tx: Transaction): void {
  w.u32(tx.version).count(tx.inputs.length)
  for (const input of tx.inputs) {
    const length = unlockBytes(input)
    w.hash(input.prevTxid).u32(input.prevIndex).count(length).hex(input.unlock, length)
  }
  w.count(tx.outputs.length)
  for (const output of tx.outputs) w.u64(output.amount).hex(output.pkh, 20)
  w.u32(tx.lockTime)
}

/** The length of encodeTx(tx), without encoding it. */
export function encodedTxBytes (tx: Transaction): number {
  return txBytes(tx)
}

export function encodeTx (tx: Transaction): Uint8Array {
  const w = new Writer(txBytes(tx))
  writeTx(w, tx)
  return w.done()
}

/** The length of encodeBlock(block), without encoding it. */
export function encodedBlockBytes (block: Block): number {
  let size = HEADER_BYTES + countBytes(block.txs.length)
  for (const tx of block.txs) size += txBytes(tx)
  return size
}

/** encodeBlock's bytes from the header and each transaction's encoding, when those are at hand (their ids needed them). */
export function joinBlock (header: BlockHeader, encodedTxs: Uint8Array[]): Uint8Array {
  let size = HEADER_BYTES + countBytes(encodedTxs.length)
  for (const tx of encodedTxs) size += tx.byteLength
  const w = new Writer(size).bytes(encodeHeader(header)).count(encodedTxs.length)
  for (const tx of encodedTxs) w.bytes(tx)
  return w.done()
}

export function encodeBlock (block: Block): Uint8Array {
  const w = new Writer(encodedBlockBytes(block)).bytes(encodeHeader(block.header)).count(block.txs.length)
  for (const tx of block.txs) writeTx(w, tx)
  return w.done()
}

function readHeader (r: Reader): BlockHeader {
  return { version: r.u32(), prevHash: r.hash(), merkleRoot: r.hash(), time: r.u32(), bits: r.u32(), nonce: r.u32() }
}

function readTx (r: Reader): Transaction {
  const version = r.u32()
  const inputs: TxInput[] = []
  for (let n = r.count(MAX_IO_COUNT); n > 0; n--) {
    inputs.push({ prevTxid: r.hash(), prevIndex: r.u32(), unlock: toHex(r.bytes(r.count(MAX_UNLOCK_BYTES))) })
  }
  const outputs: TxOutput[] = []
  for (let n = r.count(MAX_IO_COUNT); n > 0; n--) outputs.push({ amount: r.u64(), pkh: toHex(r.bytes(20)) })
  return { version, inputs, outputs, lockTime: r.u32() }
}

export function decodeHeader (bytes: Uint8Array): BlockHeader {
  if (bytes.byteLength !== HEADER_BYTES) throw new RuleError('malformed', `a header is ${HEADER_BYTES} bytes, not ${bytes.byteLength}`)
  return readHeader(new Reader(bytes))
}

export function decodeTx (bytes: Uint8Array): Transaction {
  const r = new Reader(bytes)
  const tx = readTx(r)
  r.end()
  return tx
}

export function decodeBlock (bytes: Uint8Array): Block {
  const r = new Reader(bytes)
  const header = readHeader(r)
  const txs: Transaction[] = []
  for (let n = r.count(MAX_BLOCK_TXS); n > 0; n--) txs.push(readTx(r))
  r.end()
  return { header, txs }
}
