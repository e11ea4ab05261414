// The write log in order: committed writes (by CSN), then tentative ones (by stamp), with outcomes.
import type { WriteView } from './types.ts'

function describeOp (op: WriteView['op']): string {
  switch (op.kind) {
    case 'reserve': return `reserve “${op.title ?? ''}”`
    case 'cancel': case 'move': case 'edit': return `${op.kind} ${String(op.eventId ?? '')}`
    default: return op.kind
  }
}

export function WriteLog ({ writes, total }: { writes: WriteView[], total: number }) {
  return (
    <>
      {total > writes.length && <p className="hint">The newest {writes.length} of {total} writes.</p>}
      <table className="table" data-testid="write-log">
        <thead><tr><th>CSN</th><th>Stamp</th><th>Replica</th><th>Write</th><th>Outcome here</th></tr></thead>
        <tbody>
          {writes.map(w => (
            <tr key={w.id} className={w.csn == null ? 'tentative' : ''} data-testid="write-row" data-csn={w.csn ?? ''}>
              <td className="mono">{w.csn ?? <span className="muted">tentative</span>}</td>
              <td className="mono">{w.stamp}</td>
              <td className="mono">{w.replica}</td>
              <td>{describeOp(w.op)}</td>
              <td className={w.outcome.ok ? '' : 'warn'}>{w.outcome.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
