// One block: where it sits, its header, and its transactions.
import { useEffect, useState } from 'react'
import { errorText } from '../api/client.ts'
import type { LedgerApi } from '../api/ledger.ts'
import type { BlockDetail } from './types.ts'
import { formatCoins } from './units.ts'

export function BlockDetails ({ hash, api, tipHeight }: { hash: string, api: LedgerApi, tipHeight: number }) {
  const [block, setBlock] = useState<BlockDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    api.block(hash).then(b => { if (current) { setBlock(b); setError(null) } }, err => { if (current) setError(errorText(err)) })
    return () => { current = false }
  }, [api, hash, tipHeight])
  if (error != null) return <p className="banner error" role="alert">{error}</p>
  if (block == null) return <p className="muted">Loading block…</p>
  return (
    <div className="block-details" data-testid="block-details">
      <dl className="facts">
        <div><dt>Hash</dt><dd><code className="mono break">{block.hash}</code></dd></div>
        <div><dt>Height</dt><dd>{block.height} {block.onMainChain ? `· ${block.confirmations} confirmations` : '· side branch'}</dd></div>
        <div><dt>Time</dt><dd>{new Date(block.header.time * 1000).toLocaleString()}</dd></div>
        <div><dt>Nonce · bits</dt><dd>{block.header.nonce} · {block.header.bits.toString(16)}</dd></div>
      </dl>
      <ul className="block-txs">
        {block.txs.map(tx => (
          <li key={tx.txid}>
            <code className="mono">{tx.txid.slice(0, 16)}…</code> {tx.coinbase ? 'coinbase' : `${tx.inputs.length} in`} →{' '}
            {tx.outputs.map((o, i) => <span key={i}>{formatCoins(o.amount)} to <code className="mono">{o.address.slice(0, 10)}…</code>{i < tx.outputs.length - 1 ? ', ' : ''}</span>)}
          </li>
        ))}
      </ul>
    </div>
  )
}
