// The renderer's view of the peer: the last /api/status, patched by events as they arrive and
// refetched (debounced) after each one, on load, and whenever the event stream (re)opens. No polling.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiClient, ApiError } from '../api/client.ts'
import type { ConnectionState, EventStream } from '../api/events.ts'
import type { Status, TidepoolEvent } from '../api/types.ts'
import { StatusFetcher } from './status-fetcher.ts'
import { logEvent, type LoggedEvent } from './event-log.ts'

/** How many recent events the event log keeps. */
export const EVENT_LOG_SIZE = 50

export type { LoggedEvent }

export interface TidepoolState {
  status: Status | null
  /** Time of the last successful status fetch. */
  fetchedAt: number | null
  /** The last status fetch failed (the shown status may be stale); null once a fetch succeeds. */
  error: ApiError | null
  connection: ConnectionState
  /** The local peer stopped answering (event stream lost, or a status fetch got no answer). */
  unreachable: boolean
  events: LoggedEvent[]
  /** Refetch now, e.g. after an action the UI took itself. */
  refresh: () => void
}

/** Applies what an event says directly, so the change shows before the refetch lands. */
export function applyEvent (status: Status, event: TidepoolEvent): Status {
  switch (event.type) {
    case 'peer:latency':
      return {
        ...status,
        peers: status.peers.map(p => p.peerId === event.peerId ? { ...p, latencyMs: event.latencyMs } : p)
      }
    case 'peer:disconnected':
      return {
        ...status,
        peers: status.peers.map(p => p.peerId === event.peerId ? { ...p, connected: false } : p)
      }
    case 'peer:connected': {
      const known = status.peers.some(p => p.peerId === event.peerId)
      return {
        ...status,
        peers: known
          ? status.peers.map(p => p.peerId === event.peerId ? { ...p, connected: true, addrs: event.addrs.length > 0 ? event.addrs : p.addrs } : p)
          : [...status.peers, { peerId: event.peerId, addrs: event.addrs, latencyMs: null, connected: true }]
      }
    }
    case 'dht:routing-table':
      return { ...status, dht: { ...status.dht, routingTableSize: event.size } }
    case 'network':
      return { ...status, online: event.online }
    default: // capability events (calendar, …) don't change the status
      return status
  }
}

export function useTidepool (client: ApiClient, stream: EventStream): TidepoolState {
  const [status, setStatus] = useState<Status | null>(null)
  const [fetchedAt, setFetchedAt] = useState<number | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [connection, setConnection] = useState<ConnectionState>(stream.state)
  const [events, setEvents] = useState<LoggedEvent[]>([])
  // From the stream's loss until it is open again, including the re-connect attempts in between.
  const [streamLost, setStreamLost] = useState(false)
  const fetcherRef = useRef<StatusFetcher | null>(null)
  const seq = useRef(0)

  useEffect(() => {
    const fetcher = new StatusFetcher(client, {
      onStatus: (s, at) => { setStatus(s); setFetchedAt(at); setError(null) },
      onError: (err) => { setError(err) }
    })
    fetcherRef.current = fetcher
    fetcher.fetchNow()

    const offState = stream.onState((state) => {
      setConnection(state)
      if (state.kind === 'closed') setStreamLost(true)
      if (state.kind === 'open') { setStreamLost(false); fetcher.fetchNow() }
    })
    const offEvents = stream.subscribe((event) => {
      setStatus(prev => prev == null ? prev : applyEvent(prev, event))
      seq.current += 1
      const entry = { seq: seq.current, at: Date.now(), event }
      setEvents(prev => logEvent(prev, entry, EVENT_LOG_SIZE))
      fetcher.fetchSoon()
    })
    stream.start()

    return () => {
      offEvents()
      offState()
      stream.stop()
      fetcher.dispose()
      if (fetcherRef.current === fetcher) fetcherRef.current = null
    }
  }, [client, stream])

  const refresh = useCallback(() => { fetcherRef.current?.fetchNow() }, [])

  return { status, fetchedAt, error, connection, unreachable: streamLost || error?.code === 'network-error', events, refresh }
}
