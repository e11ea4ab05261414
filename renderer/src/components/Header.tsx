// Top bar: the network, online/offline state with the airplane-mode switch, and whether the
// event stream is live.
import { useState } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'
import { peersApi } from '../api/peers.ts'
import type { ConnectionState } from '../api/events.ts'
import type { Status } from '../api/types.ts'
import { formatClock } from '../format.ts'

function streamText (c: ConnectionState): { text: string, cls: string } {
  switch (c.kind) {
    case 'open': return { text: 'live', cls: 'ok' }
    case 'connecting': return { text: c.attempt > 1 ? `reconnecting (try ${c.attempt})` : 'connecting…', cls: 'warn' }
    case 'closed': return { text: `${c.reason}; retry at ${formatClock(c.retryAt)}`, cls: 'bad' }
    case 'stopped': return { text: 'stopped', cls: 'bad' }
  }
}

interface Props {
  status: Status | null
  client: ApiClient
  connection: ConnectionState
  /** The local peer is not answering: the last status is not shown as if it were current. */
  unreachable: boolean
  fetchedAt: number | null
  refresh: () => void
}

export function Header ({ status, client, connection, unreachable, fetchedAt, refresh }: Props) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const online = status?.online ?? false
  const stream = streamText(connection)

  const toggle = (): void => {
    if (status == null || pending) return
    setPending(true)
    setError(null)
    peersApi(client).setOnline(!status.online).then(
      () => { refresh() },
      (err: unknown) => { setError(errorText(err)) }
    ).finally(() => { setPending(false) })
  }

  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Tidepool</span>
        {status != null && <span className="network-tag" title="Tidepool network">{status.network}</span>}
      </div>
      <div className="header-state">
        <span className={`stream-state ${stream.cls}`} data-testid="stream-state" title="The /api/events WebSocket">
          events: {stream.text}
        </span>
        {fetchedAt != null && <span className="muted small" title="Time of the last GET /api/status">status {formatClock(fetchedAt)}</span>}
        <span className={`online-state ${unreachable ? 'bad' : status == null ? 'unknown' : online ? 'ok' : 'warn'}`} data-testid="online-state">
          {unreachable ? 'Peer not answering' : status == null ? '…' : online ? 'Online' : 'Airplane mode'}
        </span>
        <button
          type="button"
          role="switch"
          aria-checked={online}
          aria-label="Online (turn off for airplane mode)"
          className={`switch ${online ? 'on' : 'off'}`}
          data-testid="online-toggle"
          disabled={status == null || pending || unreachable}
          onClick={toggle}
          title={online ? 'Go offline: close every connection and refuse new ones' : 'Go back online'}
        >
          <span className="switch-knob" aria-hidden="true" />
        </button>
        {error != null && <span className="header-error" role="alert">{error}</span>}
      </div>
    </header>
  )
}
