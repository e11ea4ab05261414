// Mining on/off, threads, the live hash rate as a small chart, and the current target.
import { useState } from 'react'
import { errorText } from '../api/client.ts'
import type { LedgerApi } from '../api/ledger.ts'
import type { MiningState } from './types.ts'
import { RATE_SAMPLE_MS, RATE_SAMPLES } from './useLedger.ts'

const formatRate = (hashesPerSecond: number): string => `${Math.round(hashesPerSecond).toLocaleString('en-US')} H/s`

/** The sampled hash rates against time, newest at the right edge ("now"), with both axes labelled. */
function RateChart ({ rates }: { rates: number[] }) {
  const [left, right, top, bottom] = [72, 8, 8, 18]
  const [width, height] = [300, 90]
  const plotW = width - left - right
  const plotH = height - top - bottom
  const max = Math.max(1, ...rates)
  const span = (RATE_SAMPLES - 1) * RATE_SAMPLE_MS / 60_000
  const x = (i: number): number => left + plotW - (rates.length - 1 - i) / (RATE_SAMPLES - 1) * plotW
  const y = (rate: number): number => top + plotH - rate / max * plotH
  const points = rates.map((r, i) => `${x(i)},${y(r)}`).join(' ')
  return (
    <svg className="rate-chart" width={width} height={height} role="img" aria-label={`Hash rate over the last ${span.toFixed(0)} minutes, at most ${formatRate(max)}, now ${formatRate(rates.at(-1) ?? 0)}`} data-testid="rate-chart" data-latest-rate={rates.at(-1)}>
      <line className="axis" x1={left} y1={top} x2={left} y2={top + plotH} />
      <line className="axis" x1={left} y1={top + plotH} x2={left + plotW} y2={top + plotH} />
      <text x={left - 4} y={top + 8} textAnchor="end">{formatRate(max)}</text>
      <text x={left - 4} y={top + plotH} textAnchor="end">0</text>
      <text x={left} y={height - 4}>{span.toFixed(0)} min ago</text>
      <text x={left + plotW} y={height - 4} textAnchor="end">now</text>
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
        {/* The core keeps its last measurement after a stop; no miner running means no hashes. */}
        <span data-testid="hash-rate">{formatRate(mining.enabled ? mining.hashesPerSecond : 0)}</span>
      </div>
      {rates.length > 1 && <RateChart rates={rates} />}
      {/* An internal of the proof of work: there for the curious, out of the way of everyone else. */}
      <details className="small">
        <summary>Details</summary>
        <p className="hint">Target (a block's hash must be at or below it): <code className="mono break" data-testid="target">{target}</code></p>
      </details>
      {error != null && <p className="banner error" role="alert">{error}</p>}
    </div>
  )
}
