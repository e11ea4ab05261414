// The limits of the relay service a publicly reachable peer runs for the others (circuit relay v2).
// Pure: flags in, limits out. Defaults and why they are what they are: p2p/reach/README.md.

export interface RelayLimits {
  /** Peers that may hold a reservation (be reachable through us) at once. */
  maxReservations: number
  /** Relayed connections open at once, across all peers. */
  maxConnections: number
  /** Bytes one relayed connection may carry (both directions together) before the relay cuts it. */
  maxBytes: number
  /** Seconds one relayed connection may stay open before the relay cuts it. */
  maxSeconds: number
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxReservations: 32,
  maxConnections: 16,
  maxBytes: 16 * 1024 * 1024,
  maxSeconds: 300
}

/** The flags that set each limit, as parseArgs options. */
export const RELAY_LIMIT_FLAGS = {
  'relay-max-reservations': 'maxReservations',
  'relay-max-connections': 'maxConnections',
  'relay-max-bytes': 'maxBytes',
  'relay-max-seconds': 'maxSeconds'
} as const satisfies Record<string, keyof RelayLimits>

/** Limits from the flags' text values (absent ones default); throws a readable Error on a bad value. */
export function relayLimitsFrom (values: Partial<Record<keyof typeof RELAY_LIMIT_FLAGS, string>>): RelayLimits {
  const limits = { ...DEFAULT_RELAY_LIMITS }
  for (const [flag, key] of Object.entries(RELAY_LIMIT_FLAGS) as Array<[keyof typeof RELAY_LIMIT_FLAGS, keyof RelayLimits]>) {
    const text = values[flag]
    if (text === undefined) continue
    const value = Number(text)
    if (!/^\d{1,15}$/.test(text) || value < 1) throw new Error(`--${flag}: ${JSON.stringify(text)} is not a whole number >= 1`)
    limits[key] = value
  }
  return limits
}
