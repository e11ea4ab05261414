// Propagation: new blocks and transactions by gossip (validated before they are relayed), and
// catch-up over the sync protocol when a peer connects, when gossip shows we are behind, and
// every so often. Peers that send invalid data earn ban scores and are disconnected at 100.
import type { PeerId } from '@libp2p/interface'
import { TopicValidatorResult, type Message } from '@libp2p/gossipsub'
import type { TidepoolNode } from '../../node/create-node.ts'
import { ON_RELAYED, openStream } from '../../node/open-stream.ts'
import { messageChannel } from '../../wire/index.ts'
import { RuleError } from '../rules/codes.ts'
import { decodeBlock, decodeTx, encodeBlock, encodeTx, type Block, type Transaction } from '../rules/codec.ts'
import type { Chain } from '../chain/chain.ts'
import type { Mempool } from '../mempool/mempool.ts'
import { catchUp, catchUpMempool } from './client.ts'
import { syncHandler } from './server.ts'
import { MAX_FRAME_BYTES, gossipTopics, syncProtocol } from './protocol.ts'
import type { PeerScores } from './peer-score.ts'

const SYNC_INTERVAL_MS = 10_000
const SYNC_TIMEOUT_MS = 60_000
const MAX_INBOUND_STREAMS = 4

export interface LedgerSyncOptions {
  node: TidepoolNode
  chain: Chain
  mempool: Mempool
  network: string
  log: (message: string) => void
  /** A transaction from a peer entered the mempool. */
  onTransaction: (tx: Transaction) => void
  /** Ban scores, with bans kept on disk. */
  scores: PeerScores
}

export class LedgerSync {
  private readonly options: LedgerSyncOptions
  private readonly protocol: string
  private readonly topics: { blocks: string, txs: string }
  private readonly scores: PeerScores
  private readonly syncing = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private readonly onConnect = (event: CustomEvent<PeerId>): void => {
    // No gater of our own: a banned peer that redials is hung up on again.
    if (this.scores.isBanned(event.detail.toString())) void this.options.node.hangUp(event.detail).catch(() => {})
    else void this.catchUpFrom(event.detail)
  }

  constructor (options: LedgerSyncOptions) {
    this.options = options
    this.scores = options.scores
    this.protocol = syncProtocol(options.network, options.chain.params.name)
    this.topics = gossipTopics(options.network, options.chain.params.name)
  }

  async start (): Promise<void> {
    const { node, chain } = this.options
    await node.handle(this.protocol, syncHandler(chain, this.options.mempool, this.options.log), { maxInboundStreams: MAX_INBOUND_STREAMS, ...ON_RELAYED })
    const pubsub = node.services.pubsub
    pubsub.topicValidators.set(this.topics.blocks, async (peer, message) => await this.validateBlock(peer, message))
    pubsub.topicValidators.set(this.topics.txs, async (peer, message) => await this.validateTx(peer, message))
    pubsub.subscribe(this.topics.blocks)
    pubsub.subscribe(this.topics.txs)
    node.addEventListener('peer:connect', this.onConnect)
    this.timer = setInterval(() => { for (const peer of node.getPeers()) void this.catchUpFrom(peer) }, SYNC_INTERVAL_MS)
    this.timer.unref()
  }

  async stop (): Promise<void> {
    const { node } = this.options
    clearInterval(this.timer)
    node.removeEventListener('peer:connect', this.onConnect)
    const pubsub = node.services.pubsub
    pubsub.unsubscribe(this.topics.blocks)
    pubsub.unsubscribe(this.topics.txs)
    pubsub.topicValidators.delete(this.topics.blocks)
    pubsub.topicValidators.delete(this.topics.txs)
    await node.unhandle(this.protocol)
  }

  async publishBlock (block: Block): Promise<void> {
    await this.options.node.services.pubsub.publish(this.topics.blocks, encodeBlock(block)).catch(err => { this.options.log(`ledger: publishing a block failed: ${(err as Error).message}`) })
  }

  async publishTx (tx: Transaction): Promise<void> {
    await this.options.node.services.pubsub.publish(this.topics.txs, encodeTx(tx)).catch(err => { this.options.log(`ledger: publishing a transaction failed: ${(err as Error).message}`) })
  }

  /** Catches up blocks, then waiting transactions, from `peer`; at most one session per peer at a time. Returns blocks received. */
  async catchUpFrom (peer: PeerId): Promise<number> {
    const id = peer.toString()
    if (this.syncing.has(id) || this.scores.isBanned(id)) return 0
    this.syncing.add(id)
    let channel
    try {
      const stream = await openStream(this.options.node, peer, this.protocol, { signal: AbortSignal.timeout(SYNC_TIMEOUT_MS) })
      channel = messageChannel(stream, { maxMessageBytes: MAX_FRAME_BYTES })
      const received = await catchUp(channel, this.options.chain)
      const txs = await catchUpMempool(channel, this.options.mempool)
      await channel.close()
      if (received > 0) this.options.log(`ledger: caught up ${received} blocks from ${id}`)
      for (const tx of txs) this.options.onTransaction(tx)
      return received
    } catch (err) {
      channel?.abort(err as Error)
      if (err instanceof RuleError) this.penalize(peer, err)
      else if ((err as Error).name === 'SyncError') this.penalize(peer, new RuleError('malformed', (err as Error).message))
      return 0
    } finally {
      this.syncing.delete(id)
    }
  }

  private penalize (peer: PeerId, err: RuleError): void {
    // Policy refusals (already known, fee too low) are no fault of the sender's.
    if (err.banScore === 0) return
    this.options.log(`ledger: refused data from ${peer.toString()}: ${err.message}`)
    this.scores.penalize(peer.toString(), err.banScore).then(banned => {
      if (!banned) return
      this.options.log(`ledger: disconnecting ${peer.toString()} (ban score reached)`)
      void this.options.node.hangUp(peer).catch(() => {})
    }, (failure: Error) => { this.options.log(`ledger: writing a ban failed: ${failure.message}`) })
  }

  private refusal (peer: PeerId, err: unknown): TopicValidatorResult {
    if (!(err instanceof RuleError)) throw err
    this.penalize(peer, err)
    return err.banScore > 0 ? TopicValidatorResult.Reject : TopicValidatorResult.Ignore
  }

  private async validateBlock (peer: PeerId, message: Message): Promise<TopicValidatorResult> {
    if (this.scores.isBanned(peer.toString())) return TopicValidatorResult.Reject
    try {
      const result = await this.options.chain.submit(decodeBlock(message.data))
      if (result.status === 'orphan') void this.catchUpFrom(peer)
      return result.status === 'connected' || result.status === 'side-branch' ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
    } catch (err) {
      return this.refusal(peer, err)
    }
  }

  private async validateTx (peer: PeerId, message: Message): Promise<TopicValidatorResult> {
    if (this.scores.isBanned(peer.toString())) return TopicValidatorResult.Reject
    try {
      const { tx } = await this.options.mempool.add(decodeTx(message.data))
      this.options.onTransaction(tx)
      return TopicValidatorResult.Accept
    } catch (err) {
      return this.refusal(peer, err)
    }
  }
}
