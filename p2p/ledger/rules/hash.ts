// Double SHA-256 over the binary forms: block ids, transaction ids, the Merkle tree.
// A hash is read as a big-endian number when compared with a target, so its hex shows the leading zeros.
import { hash } from 'node:crypto'
import { encodeHeader, encodeTx, NULL_HASH, type BlockHeader, type Transaction } from './codec.ts'

/** One-shot: a third cheaper than a createHash object, and a block's connect hashes several hundred times. */
export function sha256 (data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer')
}

export function sha256d (data: Uint8Array): Uint8Array {
  return sha256(sha256(data))
}

/** sha256d as hex: the outer hash writes the string itself, no buffer made for it. */
function sha256dHex (data: Uint8Array): string {
  return hash('sha256', sha256(data), 'hex')
}

export function blockHash (header: BlockHeader): string {
  return sha256dHex(encodeHeader(header))
}

export function txid (tx: Transaction): string {
  return txidOfEncoded(encodeTx(tx))
}

/** The id of a transaction from its encoding. */
export function txidOfEncoded (encoded: Uint8Array): string {
  return sha256dHex(encoded)
}

/**
 * Bitcoin's tree: pairs hashed level by level, an odd last node paired with itself. Each level lives in
 * one buffer, hashed in place pair by pair (a block's tree is a hundred hashes or more).
 */
export function merkleRoot (txids: string[]): string {
  if (txids.length === 0) return NULL_HASH
  let level = Buffer.allocUnsafe(txids.length * 32)
  txids.forEach((id, i) => level.write(id, i * 32, 32, 'hex'))
  for (let nodes = txids.length; nodes > 1; nodes = Math.ceil(nodes / 2)) {
    // An odd last node is paired with itself: copy it beside itself.
    if (nodes % 2 === 1) {
      const grown = Buffer.allocUnsafe((nodes + 1) * 32)
      level.copy(grown, 0, 0, nodes * 32)
      level.copy(grown, nodes * 32, (nodes - 1) * 32, nodes * 32)
      level = grown
    }
    for (let pair = 0; pair < nodes / 2; pair++) level.set(sha256d(level.subarray(pair * 64, pair * 64 + 64)), pair * 32)
  }
  return level.toString('hex', 0, 32)
}
