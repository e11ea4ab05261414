// The catch-up protocol's id and messages: headers first (from a block locator), then the blocks
// the asker lacks, then the waiting transactions it lacks (gossip may have missed them). Block and
// transaction bytes travel as hex inside JSON frames, one frame each.
import { z } from 'zod'

export const MAX_LOCATOR_HASHES = 32
export const MAX_HEADERS = 2000
export const MAX_BLOCKS_PER_REQUEST = 16
/** Ids in a mempool listing: 20 000 × 67 bytes fits a frame (a full 5 MB mempool holds fewer). */
export const MAX_MEMPOOL_IDS = 20_000
export const MAX_TXS_PER_REQUEST = 16
/** One block (hex doubles it) plus the JSON around it. */
export const MAX_FRAME_BYTES = 2 * 1_000_000 + 1024

/**
 * Version 2 is the Ed25519 chain (a new genesis); version 1 was the BIP340 Schnorr chain of the same name.
 * The ids and topics differ, so the two never exchange a block or a transaction.
 */
export function syncProtocol (network: string, chain: string): string {
  return `/tidepool/${network}/ledger/${chain}/sync/2.0.0`
}

export function gossipTopics (network: string, chain: string): { blocks: string, txs: string } {
  return { blocks: `/tidepool/${network}/ledger/${chain}/blocks/2`, txs: `/tidepool/${network}/ledger/${chain}/txs/2` }
}

const schnorrSyncProtocol = (network: string, chain: string): string => `/tidepool/${network}/ledger/${chain}/sync/1.0.0`

/** Why we don't sync with a peer whose identify shows it on the Schnorr chain of our chain's name; undefined if it isn't. */
export function schnorrChainPeer (protocols: readonly string[], network: string, chain: string, peerId: string): string | undefined {
  if (!protocols.includes(schnorrSyncProtocol(network, chain)) || protocols.includes(syncProtocol(network, chain))) return undefined
  return `ledger: ${peerId} runs chain "${chain}" of an older Tidepool, signed with BIP340 Schnorr (${schnorrSyncProtocol(network, chain)}): another genesis, so no blocks or transactions are exchanged with it until it upgrades`
}

const Hash = z.string().regex(/^[0-9a-f]{64}$/)
const HeaderHex = z.string().regex(/^[0-9a-f]{160}$/)

export const SyncRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('headers'), locator: z.array(Hash).min(1).max(MAX_LOCATOR_HASHES), max: z.number().int().min(1).max(MAX_HEADERS) }).strict(),
  z.object({ type: z.literal('blocks'), hashes: z.array(Hash).min(1).max(MAX_BLOCKS_PER_REQUEST) }).strict(),
  z.object({ type: z.literal('mempool') }).strict(),
  z.object({ type: z.literal('txs'), txids: z.array(Hash).min(1).max(MAX_TXS_PER_REQUEST) }).strict()
])
export type SyncRequest = z.infer<typeof SyncRequest>

export const HeadersReply = z.object({ type: z.literal('headers'), headers: z.array(HeaderHex).max(MAX_HEADERS) }).strict()

export const BlockReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('block'), block: z.string().regex(/^([0-9a-f]{2})+$/).max(MAX_FRAME_BYTES - 1024) }).strict(),
  z.object({ type: z.literal('not-found'), hash: Hash }).strict()
])

/** The answerer's waiting transactions, in arrival order (parents before children). */
export const MempoolReply = z.object({ type: z.literal('mempool'), txids: z.array(Hash).max(MAX_MEMPOOL_IDS) }).strict()

export const TxReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tx'), tx: z.string().regex(/^([0-9a-f]{2})+$/).max(MAX_FRAME_BYTES - 1024) }).strict(),
  z.object({ type: z.literal('not-found'), hash: Hash }).strict()
])
