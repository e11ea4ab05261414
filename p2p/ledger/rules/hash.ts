// Double SHA-256 over the binary forms: block ids, transaction ids, the Merkle tree.
// A hash is read as a big-endian number when compared with a target, so its hex shows the leading zeros.
import { hash } from 'node:crypto'
import { encodeHeader, encodeTx, toHex, NULL_HASH, type BlockHeader, type Transaction } from './codec.ts'

/** One-shot: a third cheaper than a createHash object, and a block's connect hashes several hundred times. */
export function sha256 (data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer')
}

export function sha256d (data: Uint8Array): Uint8Array {
  return sha256(sha256(data))
}

export function blockHash (header: BlockHeader): string {
  return toHex(sha256d(encodeHeader(header)))
}

export function txid (tx: Transaction): string {
  return toHex(sha256d(encodeTx(tx)))
}

/** Bitcoin's tree: pairs hashed level by level, an odd last node paired with itself. */
export function merkleRoot (txids: string[]): string {
  if (txids.length === 0) return NULL_HASH
  let level: Buffer[] = txids.map(id => Buffer.from(id, 'hex'))
  while (level.length > 1) {
    const next: Buffer[] = []
    for (let i = 0; i < level.length; i += 2) {
      next.push(Buffer.from(sha256d(Buffer.concat([level[i]!, level[i + 1] ?? level[i]!]))))
    }
    level = next
  }
  return level[0]!.toString('hex')
}
