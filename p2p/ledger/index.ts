// The ledger capability: a proof-of-work coin with Bitcoin's rules on this peer — chain, mempool,
// wallet, miner on worker threads, gossip and catch-up with other peers, and its API routes.
import { randomBytes } from 'node:crypto'
import type { Capability, CapabilityFactory } from '../capability.ts'
import { ledgerRoutes } from './routes.ts'
import { LedgerService } from './service.ts'
import { chainParams } from './rules/params.ts'
import { openLedger } from './ledger.ts'
import { Miner } from './miner/miner.ts'
import { blockTemplate } from './miner/template.ts'
import { LedgerSync } from './sync/service.ts'
import type { LedgerEvent } from './api.ts'

const nowSeconds = (): number => Math.floor(Date.now() / 1000)

export const ledgerCapability: CapabilityFactory<LedgerEvent> = async (ctx): Promise<Capability> => {
  const log = (message: string): void => { ctx.logger.info(message) }
  const params = chainParams(ctx.config.chain)
  const db = ctx.db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' })
  const ledger = await openLedger(db, ctx.config.dataDir, params, nowSeconds, log)
  const { chain, mempool, keys } = ledger

  const miner = new Miner({
    template: () => blockTemplate({ ...chain.nextBlockTemplate(), waiting: mempool.entries(), payTo: keys.requirePkh(), now: nowSeconds(), extra: randomBytes(8) }, params),
    submit: async block => {
      const result = await chain.submit(block)
      if (result.status === 'connected') await sync.publishBlock(block)
    },
    onError: err => { log(`ledger miner: ${err.message}`) },
    paceMs: params.minerPaceMs
  })
  const onMempoolChange = (): void => {
    miner.restart()
    ctx.events.emit({ type: 'ledger:mempool', size: mempool.size })
  }
  const sync = new LedgerSync({ node: ctx.node, chain, mempool, network: ctx.config.network, log, onTransaction: onMempoolChange, conduct: ctx.conduct })
  // Gossip ignored an orphan on arrival; once its parents came and it got in, relay it ourselves.
  mempool.onOrphanAdmitted(entry => {
    onMempoolChange()
    void sync.publishTx(entry.tx)
  })
  mempool.onReturned(entries => { sync.announceReturned(entries.map(e => e.txid)) })
  chain.onTipChange(change => {
    miner.restart()
    ctx.events.emit({ type: 'ledger:tip', height: change.tip.height, hash: change.tip.hash, reorged: change.disconnected.length })
  })
  await sync.start()
  return {
    name: 'ledger',
    routes: ledgerRoutes(new LedgerService({ ledger, miner, sync, onMempoolChange })),
    stop: async () => {
      await miner.stop()
      await sync.stop()
    }
  }
}
