// The asking side of catch-up: send our block locator, check the headers we get (linked, each with
// its proof of work) before fetching any body, then fetch and submit the blocks we lack, round after
// round until the peer has nothing more. Every block goes through the full rules on submit. Then the
// peer's waiting transactions that we lack, each through the mempool's rules and policy.
import type { MessageChannel } from '../../wire/index.ts'
import { decodeBlock, decodeHeader, decodeTx, fromHex, type BlockHeader, type Transaction } from '../rules/codec.ts'
import { blockHash, txid } from '../rules/hash.ts'
import { RuleError } from '../rules/codes.ts'
import { checkProofOfWork } from '../rules/block.ts'
import type { Chain } from '../chain/chain.ts'
import type { Mempool } from '../mempool/mempool.ts'
import { BlockReply, HeadersReply, MAX_BLOCKS_PER_REQUEST, MAX_HEADERS, MAX_TXS_PER_REQUEST, MempoolReply, TxReply } from './protocol.ts'

/** Enough rounds for 2 million blocks; a peer feeding headers forever ends here. */
const MAX_ROUNDS = 1000

export class SyncError extends Error {
  override name = 'SyncError'
  readonly code = 'bad-headers'
}

function checkHeaders (headers: BlockHeader[], chain: Chain): string[] {
  const hashes: string[] = []
  let prev = headers[0]?.prevHash
  if (prev !== undefined && chain.entry(prev) === undefined) throw new SyncError('the headers do not start on a block we know')
  for (const header of headers) {
    if (header.prevHash !== prev) throw new SyncError('the headers are not a chain')
    checkProofOfWork(header, chain.params)
    prev = blockHash(header)
    hashes.push(prev)
  }
  return hashes
}

/** Catches up from one peer; returns how many blocks were new to us. Throws RuleError/SyncError/WireError. */
export async function catchUp (channel: MessageChannel, chain: Chain): Promise<number> {
  let received = 0
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await channel.write({ type: 'headers', locator: chain.locator(), max: MAX_HEADERS })
    const reply = await channel.read(HeadersReply)
    const hashes = checkHeaders(reply.headers.map(hex => decodeHeader(fromHex(hex))), chain)
    const missing = hashes.filter(hash => chain.entry(hash) === undefined)
    for (let i = 0; i < missing.length; i += MAX_BLOCKS_PER_REQUEST) {
      const batch = missing.slice(i, i + MAX_BLOCKS_PER_REQUEST)
      await channel.write({ type: 'blocks', hashes: batch })
      for (const hash of batch) {
        const answer = await channel.read(BlockReply)
        if (answer.type === 'not-found') throw new SyncError(`the peer announced ${hash} but does not have it`)
        const block = decodeBlock(fromHex(answer.block))
        if (blockHash(block.header) !== hash) throw new SyncError(`asked for ${hash}, got another block`)
        await chain.submit(block)
        received++
      }
    }
    // Done when the peer has no more, or nothing it has is new (its chain may hold less work than ours).
    if (reply.headers.length < MAX_HEADERS || missing.length === 0) break
  }
  return received
}

/**
 * Fetches the peer's waiting transactions that our mempool lacks and offers each to it; returns those
 * admitted. A policy refusal (fee, conflict, unknown parent) is no fault of the peer's and is skipped;
 * a broken rule is thrown. Throws RuleError/SyncError/WireError.
 */
export async function catchUpMempool (channel: MessageChannel, mempool: Mempool): Promise<Transaction[]> {
  await channel.write({ type: 'mempool' })
  const missing = (await channel.read(MempoolReply)).txids.filter(id => !mempool.has(id))
  const admitted: Transaction[] = []
  for (let i = 0; i < missing.length; i += MAX_TXS_PER_REQUEST) {
    const batch = missing.slice(i, i + MAX_TXS_PER_REQUEST)
    await channel.write({ type: 'txs', txids: batch })
    for (const id of batch) {
      const answer = await channel.read(TxReply)
      // Mined or evicted since the listing: nothing to hold against the peer.
      if (answer.type === 'not-found') continue
      const tx = decodeTx(fromHex(answer.tx))
      if (txid(tx) !== id) throw new SyncError(`asked for transaction ${id}, got another`)
      try {
        await mempool.add(tx)
        admitted.push(tx)
      } catch (err) {
        if (!(err instanceof RuleError) || err.banScore > 0) throw err
      }
    }
  }
  return admitted
}
