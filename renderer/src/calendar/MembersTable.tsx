// The calendar's members: replica ids <Tz,X>, who is primary, who is online, how far we have their writes.
import { shortPeerId } from '../format.ts'
import { formatDateTime } from './time.ts'
import type { MemberView } from './types.ts'

export function MembersTable ({ members }: { members: MemberView[] }) {
  return (
    <table className="table" data-testid="members">
      <thead><tr><th>Replica</th><th>Peer</th><th>Role</th><th>Online</th><th>Version vector</th><th>Last sync</th></tr></thead>
      <tbody>
        {members.map(m => (
          <tr key={m.replica} data-testid="member-row" data-peer-id={m.peerId}>
            <td><code className="mono">{m.replica}</code></td>
            <td><code className="mono" title={m.peerId}>{shortPeerId(m.peerId)}</code>{m.self && <span className="muted small"> (this peer)</span>}</td>
            <td>{m.retired ? 'retired' : m.primary ? 'primary' : 'member'}</td>
            <td>{m.online ? <span className="ok">online</span> : <span className="muted">offline</span>}</td>
            <td className="mono">{m.versionVectorEntry ?? (m.retired ? '— (dropped)' : '—')}</td>
            <td>{m.self ? '—' : m.lastSync == null ? <span className="muted">never</span> : formatDateTime(m.lastSync)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
