// A typed fan-out of events to listeners. Generic: each capability declares its own events (in its
// api.ts) and gets an EventSink of just those; p2p/events.ts composes the peer's whole union.

/** Where a part of the peer emits its events; it never sees anyone else's. */
export interface EventSink<E> {
  emit: (event: E) => void
}

export class EventHub<E> implements EventSink<E> {
  private readonly listeners = new Set<(event: E) => void>()

  /** Returns the function that unsubscribes. */
  subscribe (listener: (event: E) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  emit (event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch {
        // One broken listener (a closed socket, say) must not starve the others.
      }
    }
  }
}
