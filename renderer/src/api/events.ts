// The `/api/events` WebSocket: one connection, re-opened with exponential backoff, fanned out to
// subscribers. Browsers cannot set headers on a WebSocket, so the token rides as a subprotocol.
import { PeerEvent as TidepoolEvent } from '../../../p2p/events.ts'
import { EVENTS_PATH, WS_BEARER_PREFIX, WS_PROTOCOL } from '../../../p2p/api/contract.ts'

/** First retry delay after a lost connection; doubles per failed attempt up to the max. */
export const RECONNECT_INITIAL_MS = 500
// Kept short: the peer is on this machine, and the re-opened stream is how the UI learns it is back.
export const RECONNECT_MAX_MS = 4_000
/** Spread retries by up to ±20 % so many windows do not reconnect in lockstep. */
export const RECONNECT_JITTER = 0.2

export type ConnectionState =
  | { kind: 'connecting', attempt: number }
  | { kind: 'open', since: number }
  | { kind: 'closed', attempt: number, retryAt: number, reason: string }
  | { kind: 'stopped' }

export type EventListener = (event: TidepoolEvent) => void
export type StateListener = (state: ConnectionState) => void

/** Validates a whole message against the core's event schema; anything malformed or unknown gives null. */
export function parseEvent (data: unknown): TidepoolEvent | null {
  if (typeof data !== 'string') return null
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  const parsed = TidepoolEvent.safeParse(value)
  return parsed.success ? parsed.data : null
}

export function reconnectDelay (attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS * 2 ** Math.max(0, attempt - 1))
  const jitter = 1 + RECONNECT_JITTER * (2 * random() - 1)
  return Math.round(base * jitter)
}

export function eventsUrl (host: string = location.host): string {
  return `ws://${host}${EVENTS_PATH}`
}

export class EventStream {
  readonly #url: string
  readonly #token: string
  readonly #listeners = new Set<EventListener>()
  readonly #stateListeners = new Set<StateListener>()
  #socket: WebSocket | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #attempt = 0
  #state: ConnectionState = { kind: 'stopped' }
  #running = false

  constructor (token: string, url: string = eventsUrl()) {
    this.#token = token
    this.#url = url
  }

  get state (): ConnectionState { return this.#state }

  /** Receive every valid event; returns the unsubscribe function. */
  subscribe (listener: EventListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /** Receive connection state changes, starting with the current one. */
  onState (listener: StateListener): () => void {
    this.#stateListeners.add(listener)
    listener(this.#state)
    return () => { this.#stateListeners.delete(listener) }
  }

  start (): void {
    if (this.#running) return
    this.#running = true
    this.#attempt = 0
    this.#open()
  }

  stop (): void {
    this.#running = false
    if (this.#timer != null) clearTimeout(this.#timer)
    this.#timer = null
    const socket = this.#socket
    this.#socket = null
    if (socket != null) {
      socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000, 'client stopped')
    }
    this.#setState({ kind: 'stopped' })
  }

  #setState (state: ConnectionState): void {
    this.#state = state
    for (const l of [...this.#stateListeners]) l(state)
  }

  #open (): void {
    if (!this.#running) return
    this.#attempt += 1
    this.#setState({ kind: 'connecting', attempt: this.#attempt })
    let socket: WebSocket
    try {
      socket = new WebSocket(this.#url, [WS_PROTOCOL, WS_BEARER_PREFIX + this.#token])
    } catch (err) {
      this.#scheduleRetry(err instanceof Error ? err.message : String(err))
      return
    }
    this.#socket = socket
    socket.onopen = () => {
      if (socket.protocol !== WS_PROTOCOL) {
        socket.close(1002, 'unexpected subprotocol')
        return
      }
      this.#attempt = 0
      this.#setState({ kind: 'open', since: Date.now() })
    }
    socket.onmessage = (msg: MessageEvent) => {
      const event = parseEvent(msg.data)
      if (event == null) return
      for (const l of [...this.#listeners]) {
        try {
          l(event)
        } catch (err) {
          queueMicrotask(() => { throw err })
        }
      }
    }
    socket.onclose = (ev: CloseEvent) => {
      if (this.#socket !== socket) return
      this.#socket = null
      const reason = ev.code === 1006 ? 'connection lost' : `closed (${ev.code}${ev.reason !== '' ? `: ${ev.reason}` : ''})`
      this.#scheduleRetry(reason)
    }
    // 'error' is always followed by 'close'; the retry is scheduled there.
    socket.onerror = () => {}
  }

  #scheduleRetry (reason: string): void {
    if (!this.#running) return
    const delay = reconnectDelay(this.#attempt)
    this.#setState({ kind: 'closed', attempt: this.#attempt, retryAt: Date.now() + delay, reason })
    if (this.#timer != null) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#open()
    }, delay)
  }
}
