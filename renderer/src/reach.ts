// How this peer and each connection reach the internet, in plain words; pure. `relays` (the relay
// reservations held) and, per peer, `connection` / `relay` / `holePunched` come from the relay part of
// the core and are read defensively: without them every connection reads "direct".
import type { PeerInfo, Status } from './api/types.ts'
import { plural, shortPeerId } from './format.ts'

interface RelayFields { relays?: ReadonlyArray<{ peerId: string }> }
interface PathFields { connection?: string, relay?: string, holePunched?: boolean }

export function heldRelays (status: Status): number {
  const relays = (status as Status & RelayFields).relays
  return Array.isArray(relays) ? relays.length : 0
}

export interface ReachText {
  label: string
  hint: string
  tone: 'on' | 'off' | 'wait'
}

export function reachabilityText (status: Status): ReachText {
  const relays = heldRelays(status)
  switch (status.reachability) {
    case 'public':
      return { label: 'Public', hint: `Reachable from the internet at ${status.publicAddrs.join(', ')}.`, tone: 'on' }
    case 'unknown':
      return { label: 'Checking', hint: 'Asking other peers to dial this one back, to learn whether the internet can reach it.', tone: 'wait' }
    default:
      return relays > 0
        ? { label: `Behind a NAT, reachable via ${plural(relays, 'relay')}`, hint: 'Peers elsewhere reach this one through a relay, within the relay\'s limits, until a direct connection is made.', tone: 'on' }
        : { label: 'Behind a NAT', hint: 'Not reachable from the internet: only peers that this one dials, or peers on the same LAN, connect to it.', tone: 'off' }
  }
}

/** direct, hole-punched, or relayed (through whom); "—" while not connected. */
export function connectionPath (peer: PeerInfo): string {
  if (!peer.connected) return '—'
  const path = peer as PeerInfo & PathFields
  if (path.connection === 'relayed') return path.relay === undefined ? 'relayed' : `relayed via ${shortPeerId(path.relay)}`
  return path.holePunched === true ? 'hole-punched' : 'direct'
}

/** What a share link or invite made now means for reaching this peer; null when nothing needs saying. */
export function relayNote (status: Status | null, what: 'link' | 'invite'): string | null {
  if (status?.reachability !== 'private') return null
  const relays = heldRelays(status)
  return relays > 0
    ? `This peer is behind a NAT: whoever uses this ${what} from elsewhere reaches it through a relay (${plural(relays, 'relay')} held), within the relay's limits, until a direct connection is made.`
    : `This peer is behind a NAT and holds no relay yet: this ${what} works on this LAN, but not yet from elsewhere.`
}
