// Propagation: new blocks and transactions by gossip (validated before they are relayed), and
// catch-up over the sync protocol when a peer connects, when gossip shows we are behind, and
// every so often. Peers that send invalid data earn ban scores and are disconnected at 100.
import type { IdentifyResult, PeerId } from '@libp2p/interface'
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
import { MAX_FRAME_BYTES, gossipTopics, schnorrChainPeer, syncProtocol } from './protocol.ts'
import type { PeerConduct } from '../../node/peer-conduct.ts'
import { RebroadcastQueue } from './rebroadcast.ts'

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
  /** The peer's shared ban scores (bans kept on disk, banned peers hung up on when they reconnect). */
  conduct: PeerConduct
}

export class LedgerSync {
  private readonly options: LedgerSyncOptions
  private readonly protocol: string
  private readonly topics: { blocks: string, txs: string }
  private readonly conduct: PeerConduct
  private readonly syncing = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private readonly rebroadcast = new RebroadcastQueue(Date.now())
  private rebroadcastTimer: NodeJS.Timeout | undefined
  private stopped = false
  private readonly onConnect = (event: CustomEvent<PeerId>): void => {
    // A banned peer that redials is hung up on by the conduct; nothing to catch up from it.
    if (!this.conduct.isBanned(event.detail)) void this.catchUpFrom(event.detail)
  }

  /** Peers already told to be on the Schnorr chain: said once per peer, not at every identify. */
  private readonly schnorrPeers = new Set<string>()
  private readonly onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const id = event.detail.peerId.toString()
    const reason = schnorrChainPeer(event.detail.protocols, this.options.network, this.options.chain.params.name, id)
    if (reason === undefined || this.schnorrPeers.has(id)) return
    this.schnorrPeers.add(id)
    this.options.log(reason)
  }

  constructor (options: LedgerSyncOptions) {
    this.options = options
    this.conduct = options.conduct
    this.protocol = syncProtocol(options.network, options.chain.params.name)
    this.topics = gossipTopics(options.network, options.chain.params.name)
  }

  async start (): Promise<void> {
    const { node, chain } = this.options
    const failed = (peer: PeerId, err: Error): void => { this.conduct.streamFailed(peer, this.protocol, err) }
    await node.handle(this.protocol, syncHandler(chain, this.options.mempool, failed), { maxInboundStreams: MAX_INBOUND_STREAMS, ...ON_RELAYED })
    const pubsub = node.services.pubsub
    pubsub.topicValidators.set(this.topics.blocks, async (peer, message) => await this.validateBlock(peer, message))
    pubsub.topicValidators.set(this.topics.txs, async (peer, message) => await this.validateTx(peer, message))
    pubsub.subscribe(this.topics.blocks)
    pubsub.subscribe(this.topics.txs)
    node.addEventListener('peer:connect', this.onConnect)
    node.addEventListener('peer:identify', this.onIdentify)
    this.timer = setInterval(() => { for (const peer of node.getPeers()) void this.catchUpFrom(peer) }, SYNC_INTERVAL_MS)
    this.timer.unref()
  }

  async stop (): Promise<void> {
    const { node } = this.options
    this.stopped = true
    clearInterval(this.timer)
    clearTimeout(this.rebroadcastTimer)
    node.removeEventListener('peer:connect', this.onConnect)
    node.removeEventListener('peer:identify', this.onIdentify)
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

  /** Gossips a transaction; resolves to how many peers it was sent to. */
  async publishTx (tx: Transaction): Promise<number> {
    return await this.options.node.services.pubsub.publish(this.topics.txs, encodeTx(tx)).then(
      result => result.recipients.length,
      err => { this.options.log(`ledger: publishing a transaction failed: ${(err as Error).message}`); return 0 })
  }

  /** Announces again, once each and at a bounded rate, the transactions a reorg returned to the mempool. */
  announceReturned (txids: string[]): void {
    this.options.log(`ledger: a reorg returned ${txids.length} transaction(s) to the mempool; announcing them again`)
    this.rebroadcast.offer(txids, Date.now())
    this.scheduleRebroadcast()
  }

  private scheduleRebroadcast (): void {
    if (this.rebroadcastTimer !== undefined || this.stopped) return
    const delay = this.rebroadcast.delay(Date.now())
    if (delay === undefined) return
    this.rebroadcastTimer = setTimeout(() => {
      void this.rebroadcastDue().finally(() => {
        this.rebroadcastTimer = undefined
        this.scheduleRebroadcast()
      })
    }, delay)
  }

  private async rebroadcastDue (): Promise<void> {
    for (const announcement of this.rebroadcast.take(Date.now())) {
      const tx = this.options.mempool.transaction(announcement.id)
      if (tx === undefined) continue // mined or evicted meanwhile: nothing to announce
      // No peer subscribed yet (the connection that brought the reorg is still setting up gossip): later.
      if (await this.publishTx(tx) > 0) this.rebroadcast.sent(announcement.id)
      else this.rebroadcast.retry(announcement, Date.now())
    }
  }

  /** Catches up blocks, then waiting transactions, from `peer`; at most one session per peer at a time. Returns blocks received. */
  async catchUpFrom (peer: PeerId): Promise<number> {
    const id = peer.toString()
    if (this.syncing.has(id) || this.conduct.isBanned(id)) return 0
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
    void this.conduct.penalize(peer, err.banScore, `ledger rule ${err.code}`)
  }

  private refusal (peer: PeerId, err: unknown): TopicValidatorResult {
    if (!(err instanceof RuleError)) throw err
    this.penalize(peer, err)
    return err.banScore > 0 ? TopicValidatorResult.Reject : TopicValidatorResult.Ignore
  }

  private async validateBlock (peer: PeerId, message: Message): Promise<TopicValidatorResult> {
    if (this.conduct.isBanned(peer)) return TopicValidatorResult.Reject
    try {
      const result = await this.options.chain.submit(decodeBlock(message.data))
      if (result.status === 'orphan') void this.catchUpFrom(peer)
      return result.status === 'connected' || result.status === 'side-branch' ? TopicValidatorResult.Accept : TopicValidatorResult.Ignore
    } catch (err) {
      return this.refusal(peer, err)
    }
  }

  private async validateTx (peer: PeerId, message: Message): Promise<TopicValidatorResult> {
    if (this.conduct.isBanned(peer)) return TopicValidatorResult.Reject
    try {
      const { tx } = await this.options.mempool.add(decodeTx(message.data))
      this.options.onTransaction(tx)
      return TopicValidatorResult.Accept
    } catch (err) {
      return this.refusal(peer, err)
    }
  }
}
