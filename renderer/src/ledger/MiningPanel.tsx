// Mining on/off, threads, the live hash rate as a small chart, and the current target.
import { useState } from 'react'
import { errorText } from '../api/client.ts'
import type { LedgerApi } from '../api/ledger.ts'
import type { MiningState } from './types.ts'

function RateChart ({ rates }: { rates: number[] }) {
  const width = 240
  const height = 48
  const max = Math.max(1, ...rates)
  const points = rates.map((r, i) => `${(i / Math.max(1, rates.length - 1)) * width},${height - (r / max) * height}`).join(' ')
  return (
    <svg className="rate-chart" width={width} height={height} role="img" aria-label="Hash rate over the last two minutes">
      <polyline points={points} />
    </svg>
  )
}

export function MiningPanel ({ mining, rates, target, api, onChange }: { mining: MiningState, rates: number[], target: string, api: LedgerApi, onChange: (m: MiningState) => void }) {
  const [threads, setThreads] = useState(mining.threads)
  const [error, setError] = useState<string | null>(null)
  const toggle = (): void => {
    setError(null)
    api.setMining(!mining.enabled, threads).then(onChange, err => { setError(errorText(err)) })
  }
  return (
    <div className="mining">
      <div className="mining-controls">
        <button type="button" role="switch" aria-checked={mining.enabled} onClick={toggle} data-testid="mining-toggle">
          {mining.enabled ? 'Mining — stop' : 'Start mining'}
        </button>
        <label>Threads
          <input type="number" min={1} max={mining.maxThreads} value={threads} disabled={mining.enabled}
            onChange={e => { setThreads(Math.max(1, Math.min(mining.maxThreads, Number(e.target.value) || 1))) }} data-testid="mining-threads" />
        </label>
        <span data-testid="hash-rate">{mining.hashesPerSecond.toLocaleString('en-US')} H/s</span>
      </div>
      {rates.length > 1 && <RateChart rates={rates} />}
      <p className="hint">Target (a block's hash must be at or below it): <code className="mono break" data-testid="target">{target}</code></p>
      {error != null && <p className="banner error" role="alert">{error}</p>}
    </div>
  )
}
