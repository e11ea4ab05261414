// The serving side of the catch-up protocol: answers header and block requests from our main chain
// and store, in order, until the asker closes the stream.
import type { Stream } from '@libp2p/interface'
import { messageChannel, WireError } from '../../wire/index.ts'
import { encodeBlock, encodeHeader, toHex } from '../rules/codec.ts'
import type { Chain } from '../chain/chain.ts'
import { MAX_FRAME_BYTES, SyncRequest } from './protocol.ts'

export function syncHandler (chain: Chain, log: (message: string) => void): (stream: Stream) => Promise<void> {
  return async (stream) => {
    const channel = messageChannel(stream, { maxMessageBytes: MAX_FRAME_BYTES })
    try {
      for (;;) {
        const request = await channel.read(SyncRequest)
        if (request.type === 'headers') {
          await channel.write({ type: 'headers', headers: chain.headersAfter(request.locator, request.max).map(h => toHex(encodeHeader(h))) })
          continue
        }
        for (const hash of request.hashes) {
          const block = await chain.getBlock(hash)
          await channel.write(block === undefined ? { type: 'not-found', hash } : { type: 'block', block: toHex(encodeBlock(block)) })
        }
      }
    } catch (err) {
      // The asker closing the stream is how a session ends; anything else is worth a line.
      if (!(err instanceof WireError && err.code === 'closed')) log(`ledger sync: ${(err as Error).message}`)
    }
  }
}
