// The serving side of the catch-up protocol: answers header, block and mempool requests from our main
// chain, store and mempool, in order, until the asker closes the stream.
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { messageChannel, WireError } from '../../wire/index.ts'
import { encodeBlock, encodeHeader, encodeTx, toHex } from '../rules/codec.ts'
import type { Chain } from '../chain/chain.ts'
import type { Mempool } from '../mempool/mempool.ts'
import { MAX_FRAME_BYTES, MAX_MEMPOOL_IDS, SyncRequest } from './protocol.ts'

/** `failed`: told of a stream that ended in error, with its sender (scored and logged by the node's conduct). */
export function syncHandler (chain: Chain, mempool: Mempool, failed: (peer: PeerId, err: Error) => void): (stream: Stream, connection: Connection) => Promise<void> {
  return async (stream, connection) => {
    const channel = messageChannel(stream, { maxMessageBytes: MAX_FRAME_BYTES })
    try {
      for (;;) {
        const request = await channel.read(SyncRequest)
        if (request.type === 'headers') {
          await channel.write({ type: 'headers', headers: chain.headersAfter(request.locator, request.max).map(h => toHex(encodeHeader(h))) })
          continue
        }
        if (request.type === 'mempool') {
          await channel.write({ type: 'mempool', txids: mempool.entries().slice(0, MAX_MEMPOOL_IDS).map(e => e.txid) })
          continue
        }
        if (request.type === 'txs') {
          for (const id of request.txids) {
            const tx = mempool.transaction(id)
            await channel.write(tx === undefined ? { type: 'not-found', hash: id } : { type: 'tx', tx: toHex(encodeTx(tx)) })
          }
          continue
        }
        for (const hash of request.hashes) {
          const block = await chain.getBlock(hash)
          await channel.write(block === undefined ? { type: 'not-found', hash } : { type: 'block', block: toHex(encodeBlock(block)) })
        }
      }
    } catch (err) {
      // The asker closing the stream is how a session ends; anything else is its fault or ours.
      if (!(err instanceof WireError && err.code === 'closed')) failed(connection.remotePeer, err as Error)
    }
  }
}
