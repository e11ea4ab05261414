// The Bitcoin paper's table, played: how often an attacker with share q of the hash rate undoes a
// payment the merchant accepted after z confirmations — measured, the paper's figure, the exact value.
import { useState, type FormEvent } from 'react'
import { errorText } from '../api/client.ts'
import type { LedgerApi } from '../api/ledger.ts'
import type { RaceResult } from './types.ts'

const fmt = (x: number): string => x.toFixed(7)

/** The paper's Poisson approximation is off by more than the measurement's own interval. */
function paperDiffers (r: RaceResult): boolean {
  return r.paper !== null && (r.paper < r.ci[0] || r.paper > r.ci[1])
}

export function AttackPanel ({ api }: { api: LedgerApi }) {
  const [q, setQ] = useState('0.1')
  const [z, setZ] = useState('0,1,2,3,4,5,6,7,8,9,10')
  const [trials, setTrials] = useState('100000')
  const [results, setResults] = useState<RaceResult[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const run = (event: FormEvent): void => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    api.simulateAttack(Number(q), z.split(',').map(s => Number(s.trim())), Number(trials))
      .then(r => { setResults(r.results) }, err => { setError(errorText(err)) })
      .finally(() => { setBusy(false) })
  }

  return (
    <div className="attack">
      <form className="attack-form" onSubmit={run} aria-label="Simulate a double-spend attack">
        <label>Attacker's share q<input value={q} onChange={e => { setQ(e.target.value) }} inputMode="decimal" data-testid="attack-q" /></label>
        <label>Confirmations z<input value={z} onChange={e => { setZ(e.target.value) }} data-testid="attack-z" /></label>
        <label>Races per z<input value={trials} onChange={e => { setTrials(e.target.value) }} inputMode="numeric" data-testid="attack-trials" /></label>
        <button type="submit" disabled={busy} data-testid="attack-run">{busy ? 'Racing…' : 'Run'}</button>
      </form>
      {error != null && <p className="banner error" role="alert">{error}</p>}
      {results.length > 0 && (
        <table className="payments" data-testid="attack-results">
          <thead><tr><th>z</th><th>Measured (95 % interval)</th><th>Paper (Poisson)</th><th>Exact</th></tr></thead>
          <tbody>
            {results.map(r => (
              <tr key={r.z}>
                <td>{r.z}</td>
                <td className="mono">{fmt(r.measured)} [{fmt(r.ci[0])}, {fmt(r.ci[1])}]</td>
                <td className={`mono ${paperDiffers(r) ? 'out' : ''}`}>{r.paper === null ? '—' : fmt(r.paper)}</td>
                <td className="mono">{fmt(r.exact)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">The paper takes the attacker's progress as Poisson; the race's exact law is negative binomial. Figures in red are outside the measurement's interval: there the paper's approximation is visibly off (it underestimates the attacker for larger z).</p>
    </div>
  )
}
