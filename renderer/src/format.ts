// Small display helpers; pure.

/** `12D3KooWAbc…xYz123`: enough of both ends to tell peers apart. */
export function shortPeerId (id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 8)}…${id.slice(-6)}`
}

/** `0.4 ms`, `12 ms`, `—` before the first ping. */
export function formatLatency (ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—'
  if (ms < 0.05) return '<0.1 ms'
  if (ms < 10) return `${ms.toFixed(1)} ms`
  return `${Math.round(ms)} ms`
}

export function formatClock (at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
}

/** The `/p2p/<id>` part of a multiaddr, if any. */
export function peerIdOfAddr (addr: string): string | null {
  const m = /\/p2p\/([^/]+)/.exec(addr)
  return m?.[1] ?? null
}

/** The transport part of an address: `/ip4/127.0.0.1/tcp/4001/p2p/X` → `/ip4/127.0.0.1/tcp/4001`. */
export function withoutPeerId (addr: string): string {
  const at = addr.indexOf('/p2p/')
  return at >= 0 ? addr.slice(0, at) : addr
}

export function plural (n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
