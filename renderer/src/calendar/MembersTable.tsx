// The calendar's members: replica ids <Tz,X>, who is primary, who is online, how far we have their writes,
// when anti-entropy with each last worked or why it can't reach them; and the role changes this peer may
// ask for: the primary hands its role on, a member retires.
import { shortPeerId } from '../format.ts'
import { formatDateTime, formatTime } from './time.ts'
import type { MemberView } from './types.ts'

export interface MemberActions {
  onHandOff: (replica: string) => void
  onRetire: () => void
}

/** Anti-entropy with a member, as a sentence. */
function SyncCell ({ m }: { m: MemberView }) {
  if (m.sync === 'self' || m.sync === 'retired') return <span className="muted">—</span>
  const last = m.lastSync == null ? 'never synced' : `last synced ${formatDateTime(m.lastSync)}`
  const next = m.nextSync == null ? 'syncing now' : `next try ${formatTime(m.nextSync)}`
  if (m.sync === 'unreachable') {
    return (
      <span data-testid="member-sync" data-sync="unreachable">
        <span className="warn">Can't reach it:</span> {m.unreachableReason}
        <br /><span className="muted small">{last}; {m.failedAttempts} {m.failedAttempts === 1 ? 'attempt' : 'attempts'} failed, {next}</span>
      </span>
    )
  }
  if (m.sync === 'pending') return <span className="muted" data-testid="member-sync" data-sync="pending">not synced yet, {next}</span>
  return <span data-testid="member-sync" data-sync="synced">{last}</span>
}

export function MembersTable ({ members, actions }: { members: MemberView[], actions: MemberActions }) {
  const selfIsPrimary = members.some(m => m.self && m.primary)
  return (
    <table className="table" data-testid="members">
      <thead><tr><th>Replica</th><th>Peer</th><th>Role</th><th>Online</th><th>Version vector</th><th>Sync</th><th>Actions</th></tr></thead>
      <tbody>
        {members.map(m => (
          <tr key={m.replica} data-testid="member-row" data-peer-id={m.peerId} data-role={m.retired ? 'retired' : m.primary ? 'primary' : 'member'}>
            <td><code className="mono">{m.replica}</code></td>
            <td><code className="mono" title={m.peerId}>{shortPeerId(m.peerId)}</code>{m.self && <span className="muted small"> (this peer)</span>}</td>
            <td>{m.retired ? 'retired' : m.primary ? 'primary' : 'member'}</td>
            <td>{m.online ? <span className="ok">online</span> : <span className="muted">offline</span>}</td>
            <td className="mono">{m.versionVectorEntry ?? (m.retired ? '— (dropped)' : '—')}</td>
            <td><SyncCell m={m} /></td>
            <td>
              {!m.retired && !m.self && selfIsPrimary && (
                <button type="button" className="small" data-testid="member-handoff" onClick={() => { actions.onHandOff(m.replica) }}>Make primary</button>
              )}
              {!m.retired && m.self && (
                <button type="button" className="small" data-testid="member-retire" onClick={() => { actions.onRetire() }}>Retire this replica</button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
