// Keeps at most one GET /api/status in flight. Requests made meanwhile collapse into one follow-up
// fetch, so answers are applied in order and a burst of events costs at most two requests.
import { ApiError, type ApiClient } from '../api/client.ts'
import { peersApi, type PeersApi } from '../api/peers.ts'
import type { Status } from '../api/types.ts'

/** Quiet period after the last event before refetching the whole status. */
export const STATUS_DEBOUNCE_MS = 150

export interface StatusSink {
  onStatus: (status: Status, at: number) => void
  onError: (error: ApiError) => void
}

export class StatusFetcher {
  readonly #peers: PeersApi
  readonly #sink: StatusSink
  readonly #abort = new AbortController()
  #inFlight = false
  #again = false
  #debounce: ReturnType<typeof setTimeout> | null = null

  constructor (client: ApiClient, sink: StatusSink) {
    this.#peers = peersApi(client)
    this.#sink = sink
  }

  /** Fetch now (or right after the fetch in flight). */
  fetchNow (): void {
    if (this.#abort.signal.aborted) return
    if (this.#debounce != null) {
      clearTimeout(this.#debounce)
      this.#debounce = null
    }
    if (this.#inFlight) {
      this.#again = true
      return
    }
    this.#inFlight = true
    this.#peers.status(this.#abort.signal).then(
      (status) => { if (!this.#abort.signal.aborted) this.#sink.onStatus(status, Date.now()) },
      (err: unknown) => {
        if (this.#abort.signal.aborted) return
        this.#sink.onError(err instanceof ApiError ? err : new ApiError(0, 'bad-response', String(err)))
      }
    ).finally(() => {
      this.#inFlight = false
      if (this.#again) {
        this.#again = false
        this.fetchNow()
      }
    })
  }

  /** Fetch once things have been quiet for STATUS_DEBOUNCE_MS. */
  fetchSoon (): void {
    if (this.#abort.signal.aborted) return
    if (this.#debounce != null) clearTimeout(this.#debounce)
    this.#debounce = setTimeout(() => {
      this.#debounce = null
      this.fetchNow()
    }, STATUS_DEBOUNCE_MS)
  }

  dispose (): void {
    if (this.#debounce != null) clearTimeout(this.#debounce)
    this.#debounce = null
    this.#abort.abort()
  }
}
