// The last events from /api/events, newest first — what the core told us, as it happened.
import type { TidepoolEvent } from '../api/types.ts'
import { formatClock, formatLatency, shortPeerId } from '../format.ts'
import type { LoggedEvent } from '../state/useTidepool.ts'

export function describeEvent (e: TidepoolEvent): string {
  switch (e.type) {
    case 'peer:connected': return `${shortPeerId(e.peerId)} connected`
    case 'peer:disconnected': return `${shortPeerId(e.peerId)} disconnected`
    case 'peer:latency': return `${shortPeerId(e.peerId)} ping ${formatLatency(e.latencyMs)}`
    case 'dht:routing-table': return `routing table now ${e.size}`
    case 'network': return e.online ? 'went online' : 'went offline (airplane mode)'
    case 'reachability': return e.reachability === 'public' ? `reachable from the internet at ${e.publicAddrs.join(', ')}` : e.reachability === 'private' ? 'not reachable from the internet' : 'checking whether the internet can reach this peer'
    case 'calendar:changed': return 'calendar changed'
    case 'calendar:synced': return `calendar synced with ${shortPeerId(e.peerId)}: sent ${e.sent}, received ${e.received}`
    case 'calendar:unreachable': return `calendar can't reach ${shortPeerId(e.peerId)}: ${e.reason}`
    case 'calendar:outcome-changed': return `calendar write ${e.writeId} now: ${e.after} (was: ${e.before})`
    case 'files:progress': return `file ${e.file.name}: ${e.file.state}${e.file.size != null && e.file.size > 0 ? ` ${Math.floor(e.file.bytesDone / e.file.size * 100)}%` : ''}`
    case 'files:removed': return `file ${e.cid} removed`
    case 'ledger:tip': return `chain tip now ${e.height}${e.reorged > 0 ? ` (reorg: ${e.reorged} blocks replaced)` : ''}`
    case 'ledger:mempool': return `mempool now ${e.size} transactions`
  }
}

export function EventLog ({ events }: { events: LoggedEvent[] }) {
  if (events.length === 0) return <p className="muted">No events yet. They appear here as peers come, go and answer pings.</p>
  return (
    <ol className="event-log" data-testid="event-log" aria-live="polite">
      {events.map(({ seq, at, event, count }) => (
        <li key={seq}>
          <time className="mono muted">{formatClock(at)}</time>
          <span className="event-type mono">{event.type}</span>
          <span>{describeEvent(event)}{count > 1 && <span className="muted"> ({count} updates)</span>}</span>
        </li>
      ))}
    </ol>
  )
}
