// Checks the DHT routes' answers field by field; anything malformed gives null.
export interface RingNode { peer: string, id: string }
export interface RingFinger extends RingNode { index: number }
export interface ChordRing { self: RingNode, predecessor: RingNode | null, successors: RingNode[], fingers: RingFinger[] }
export interface RingBucket { commonPrefixLength: number, peers: string[] }
export interface RingResponse { kind: 'chord' | 'kademlia', protocol: string, ring: ChordRing | null, buckets: RingBucket[] }
export interface RoutedNode { peer: string, id?: string }
export interface LookupResult { key: string, target: string, hops: number, contacted: number, ms: number, path: RoutedNode[], found: RoutedNode[] }

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v != null && typeof v === 'object' && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0
const isHexId = (v: unknown): v is string => isString(v) && /^[0-9a-f]{40}$/.test(v)

function ringNode (v: unknown): RingNode | null {
  return isObj(v) && isString(v.peer) && isHexId(v.id) ? { peer: v.peer, id: v.id } : null
}

function list<T> (v: unknown, item: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(v)) return null
  const out = v.map(item)
  return out.every(x => x !== null) ? out as T[] : null
}

function chordRing (v: unknown): ChordRing | null {
  if (!isObj(v)) return null
  const self = ringNode(v.self)
  const predecessor = v.predecessor === null ? null : ringNode(v.predecessor)
  const successors = list(v.successors, ringNode)
  const fingers = list(v.fingers, f => (isObj(f) && isCount(f.index) && ringNode(f) !== null ? { ...ringNode(f) as RingNode, index: f.index } : null))
  if (self === null || (v.predecessor !== null && predecessor === null) || successors === null || fingers === null) return null
  return { self, predecessor, successors, fingers }
}

function routedNode (v: unknown): RoutedNode | null {
  return isObj(v) && isString(v.peer) && (v.id === undefined || isHexId(v.id)) ? { peer: v.peer, id: v.id as string | undefined } : null
}

export function parseRing (v: unknown): RingResponse | null {
  if (!isObj(v) || (v.kind !== 'chord' && v.kind !== 'kademlia') || !isString(v.protocol)) return null
  const ring = v.ring === null ? null : chordRing(v.ring)
  const buckets = list(v.buckets, b => (isObj(b) && isCount(b.commonPrefixLength) && Array.isArray(b.peers) && b.peers.every(isString)
    ? { commonPrefixLength: b.commonPrefixLength, peers: b.peers as string[] }
    : null))
  if ((v.ring !== null && ring === null) || buckets === null) return null
  return { kind: v.kind, protocol: v.protocol, ring, buckets }
}

export function parseLookup (v: unknown): LookupResult | null {
  if (!isObj(v) || !isString(v.key) || !isString(v.target) || !isCount(v.hops) || !isCount(v.contacted) || !isCount(v.ms)) return null
  const path = list(v.path, routedNode)
  const found = list(v.found, routedNode)
  if (path === null || found === null) return null
  return { key: v.key, target: v.target, hops: v.hops, contacted: v.contacted, ms: v.ms, path, found }
}
