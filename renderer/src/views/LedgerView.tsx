// Ledger: the chain as a tree (main chain and forks), a block's details, the wallet (address, QR,
// balance, send, payments with confirmations), mining with its hash rate and target, the mempool, and
// the paper's double-spend race.
import { useState } from 'react'
import type { ApiClient } from '../api/client.ts'
import type { EventStream } from '../api/events.ts'
import { useLedger } from '../ledger/useLedger.ts'
import { BlockTree } from '../ledger/BlockTree.tsx'
import { BlockDetails } from '../ledger/BlockDetails.tsx'
import { WalletPanel } from '../ledger/WalletPanel.tsx'
import { MiningPanel } from '../ledger/MiningPanel.tsx'
import { AttackPanel } from '../ledger/AttackPanel.tsx'
import { formatBytes } from '../files/format.ts'
import { plural } from '../format.ts'
import { formatCoins } from '../ledger/units.ts'
import '../ledger/ledger.css'

export function LedgerView ({ client, stream }: { client: ApiClient, stream: EventStream }) {
  const { api, chain, wallet, mempool, mining, rates, error, refresh, setMining } = useLedger(client, stream)
  const [selected, setSelected] = useState<string | null>(null)

  if (chain == null || wallet == null || mining == null || mempool == null) {
    return <div className="view ledger-view"><h1>Ledger</h1>{error != null ? <p className="banner error" role="alert">{error}</p> : <p className="muted loading">Loading the chain…</p>}</div>
  }
  const forks = chain.blocks.filter(b => !b.onMainChain).length
  return (
    <div className="view ledger-view">
      <h1>Ledger <span className="muted">· chain “{chain.chain}”</span></h1>
      {error != null && <p className="banner error" role="alert">{error}</p>}
      <section className="card" aria-labelledby="chain-heading">
        <h2 id="chain-heading">Chain</h2>
        <dl className="facts">
          <div><dt>Height</dt><dd data-testid="chain-height">{chain.height}</dd></div>
          <div><dt>Tip</dt><dd><code className="mono break" data-testid="chain-tip">{chain.tip}</code></dd></div>
          <div><dt>Cumulative work</dt><dd>{chain.cumulativeWork} hashes expected</dd></div>
          <div><dt>Side-branch blocks · orphans</dt><dd data-testid="chain-forks">{forks} · {chain.orphans}</dd></div>
        </dl>
        <BlockTree blocks={chain.blocks} tip={chain.tip} selected={selected} onSelect={setSelected} />
        <p className="tree-legend"><span><span className="swatch main" />main chain (most work)</span><span><span className="swatch side" />side branch</span><span>thick border: the tip</span></p>
        {selected != null && <BlockDetails hash={selected} api={api} tipHeight={chain.height} />}
      </section>
      <div className="two-columns">
        <section className="card" aria-labelledby="wallet-heading">
          <h2 id="wallet-heading">Wallet</h2>
          <WalletPanel wallet={wallet} api={api} onChange={refresh} />
        </section>
        <div>
          <section className="card" aria-labelledby="mining-heading">
            <h2 id="mining-heading">Mining</h2>
            <MiningPanel mining={mining} rates={rates} target={chain.target} api={api} onChange={setMining} />
          </section>
          <section className="card" aria-labelledby="mempool-heading">
            <h2 id="mempool-heading">Mempool <span className="muted" data-testid="mempool-size">({mempool.size})</span></h2>
            <p className="muted" data-testid="mempool-capacity" data-bytes={mempool.bytes} data-max-bytes={mempool.maxBytes} data-orphans={mempool.orphans}>
              {formatBytes(mempool.bytes)} of {formatBytes(mempool.maxBytes)} used · {plural(mempool.orphans, 'orphan')} waiting for an unknown parent
            </p>
            {mempool.size === 0
              ? <p className="muted">No transactions waiting.</p>
              : <ul className="block-txs">{mempool.txs.map(t => <li key={t.txid}><code className="mono">{t.txid.slice(0, 16)}…</code> fee {formatCoins(t.fee)} coins, {t.size} bytes</li>)}</ul>}
          </section>
        </div>
      </div>
      <section className="card" aria-labelledby="attack-heading">
        <h2 id="attack-heading">Double-spend race (Bitcoin paper, section 11)</h2>
        <AttackPanel api={api} />
      </section>
    </div>
  )
}
