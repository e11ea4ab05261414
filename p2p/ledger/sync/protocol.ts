// The catch-up protocol's id and messages: headers first (from a block locator), then the blocks
// the asker lacks. Block bytes travel as hex inside JSON frames, one frame per block.
import { z } from 'zod'

export const MAX_LOCATOR_HASHES = 32
export const MAX_HEADERS = 2000
export const MAX_BLOCKS_PER_REQUEST = 16
/** One block (hex doubles it) plus the JSON around it. */
export const MAX_FRAME_BYTES = 2 * 1_000_000 + 1024

export function syncProtocol (network: string, chain: string): string {
  return `/tidepool/${network}/ledger/${chain}/sync/1.0.0`
}

export function gossipTopics (network: string, chain: string): { blocks: string, txs: string } {
  return { blocks: `/tidepool/${network}/ledger/${chain}/blocks/1`, txs: `/tidepool/${network}/ledger/${chain}/txs/1` }
}

const Hash = z.string().regex(/^[0-9a-f]{64}$/)
const HeaderHex = z.string().regex(/^[0-9a-f]{160}$/)

export const SyncRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('headers'), locator: z.array(Hash).min(1).max(MAX_LOCATOR_HASHES), max: z.number().int().min(1).max(MAX_HEADERS) }).strict(),
  z.object({ type: z.literal('blocks'), hashes: z.array(Hash).min(1).max(MAX_BLOCKS_PER_REQUEST) }).strict()
])
export type SyncRequest = z.infer<typeof SyncRequest>

export const HeadersReply = z.object({ type: z.literal('headers'), headers: z.array(HeaderHex).max(MAX_HEADERS) }).strict()

export const BlockReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('block'), block: z.string().regex(/^([0-9a-f]{2})+$/).max(MAX_FRAME_BYTES - 1024) }).strict(),
  z.object({ type: z.literal('not-found'), hash: Hash }).strict()
])
