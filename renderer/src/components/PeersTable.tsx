// Connected and remembered peers, one row each, with the last ping round trip.
import type { PeerInfo } from '../api/types.ts'
import { formatLatency, shortPeerId, withoutPeerId } from '../format.ts'
import { CopyButton } from './CopyButton.tsx'
import { connectionPath } from '../reach.ts'

function byStateThenId (a: PeerInfo, b: PeerInfo): number {
  if (a.connected !== b.connected) return a.connected ? -1 : 1
  return a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0
}

export function PeersTable ({ peers }: { peers: PeerInfo[] }) {
  const sorted = [...peers].sort(byStateThenId)
  const connected = peers.filter(p => p.connected).length
  return (
    <div className="table-wrap">
      <table className="peers-table" data-testid="peers-table">
        <caption>
          {connected} connected, {peers.length - connected} known but not connected now
        </caption>
        <thead>
          <tr>
            <th scope="col">Peer</th>
            <th scope="col">Addresses</th>
            <th scope="col" className="num">Latency</th>
            <th scope="col">Path</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 && (
            <tr className="empty-row">
              <td colSpan={5}>No peers yet. Dial one above, or wait for peers on your network to find this one.</td>
            </tr>
          )}
          {sorted.map(p => (
            <tr key={p.peerId} data-testid="peer-row" data-peer-id={p.peerId} data-connected={p.connected}>
              <td>
                <span className="peer-id mono" title={p.peerId}>{shortPeerId(p.peerId)}</span>
                <CopyButton text={p.peerId} label={`Copy peer id ${p.peerId}`} />
              </td>
              <td>
                {p.addrs.length === 0
                  ? <span className="muted">none known</span>
                  : (
                    <ul className="addr-list">
                      {p.addrs.map(a => <li key={a} className="mono" title={a}>{withoutPeerId(a)}</li>)}
                    </ul>
                    )}
              </td>
              <td className="num" data-testid="peer-latency" title={p.latencyMs == null ? 'not pinged yet' : `${p.latencyMs} ms round trip`}>
                {formatLatency(p.latencyMs)}
              </td>
              <td data-testid="peer-path">{connectionPath(p)}</td>
              <td>
                <span className={`badge ${p.connected ? 'badge-on' : 'badge-off'}`}>{p.connected ? 'connected' : 'known'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
