// What a running peer tells its listeners (the API's event stream, the Electron shell, tests).
// Later capabilities add their own members to this union.
import type { FileEntry } from './files/records.ts'

export type PeerEvent =
  | { type: 'peer:connected', peerId: string, addrs: string[] }
  | { type: 'peer:disconnected', peerId: string }
  | { type: 'peer:latency', peerId: string, latencyMs: number }
  | { type: 'dht:routing-table', size: number }
  | { type: 'network', online: boolean }
  | { type: 'reachability', reachability: 'public' | 'private' | 'unknown', publicAddrs: string[] }
  | { type: 'files:progress', file: FileEntry }
  | { type: 'files:removed', cid: string }
  | { type: 'calendar:changed', calendarId: string }
  | { type: 'calendar:synced', calendarId: string, peerId: string, sent: number, received: number }
  | { type: 'calendar:outcome-changed', calendarId: string, writeId: string, before: string, after: string }
  | { type: 'ledger:tip', height: number, hash: string, reorged: number }
  | { type: 'ledger:mempool', size: number }

export type PeerEventListener = (event: PeerEvent) => void

export class PeerEvents {
  private readonly listeners = new Set<PeerEventListener>()

  /** Returns the function that unsubscribes. */
  subscribe (listener: PeerEventListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  emit (event: PeerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // One broken listener (a closed socket, say) must not starve the others.
      }
    }
  }
}
