// The DHT, drawn: on a Chord network the ring with this peer, its predecessor, successor list and
// fingers, and a lookup box that draws the hops of a lookup; on Kademlia, the k-buckets drawn by
// distance and a lookup box listing the peers that answered.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'
import type { EventStream } from '../api/events.ts'
import { shortPeerId, plural } from '../format.ts'
import { chordPath, pointOnRing, type Point } from '../dht/geometry.ts'
import { dhtApi, type DhtApi } from '../api/dht.ts'
import type { ChordRingSummary as ChordRing, LookupStats as LookupResult, RingResponse } from '../../../p2p/dht/api.ts'
import '../dht/ring.css'

const SIZE = 440
const CENTER = SIZE / 2
const RADIUS = 180

export function RingView ({ client, stream }: { client: ApiClient, stream: EventStream }) {
  const [ring, setRing] = useState<RingResponse | null>(null)
  const [error, setError] = useState<string | null>(null)
  const api = useMemo(() => dhtApi(client), [client])

  const refresh = useCallback(() => {
    api.ring()
      .then(answer => {
        setRing(answer)
        setError(null)
      })
      .catch(err => { setError(errorText(err)) })
  }, [api])
  useEffect(() => { refresh() }, [refresh])
  // The routing table changed (a node joined, left, or a finger moved to a new node): redraw.
  useEffect(() => stream.subscribe(event => { if (event.type === 'dht:routing-table') refresh() }), [stream, refresh])

  return (
    <div className="view ring-view">
      <h1>DHT</h1>
      {error !== null && <p className="banner error" role="alert">{error}</p>}
      {ring === null
        ? <p className="muted loading">Asking this peer for its routing table…</p>
        : ring.kind === 'chord' && ring.ring !== null
          ? <ChordRingCard ring={ring.ring} protocol={ring.protocol} api={api} onRefresh={refresh} />
          : <KademliaCard ring={ring} api={api} onRefresh={refresh} />}
    </div>
  )
}

/** The key box shared by both DHTs; each card draws the answer its own way. */
function LookupForm ({ api, onResult }: { api: DhtApi, onResult: (result: LookupResult) => void }) {
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    api.lookup(key.trim())
      .then(onResult)
      .catch(err => { setError(errorText(err)) })
      .finally(() => { setBusy(false) })
  }
  return (
    <>
      <form className="lookup-form" onSubmit={onSubmit} aria-busy={busy}>
        <input type="text" aria-label="Key to look up" placeholder="any text or a CID" value={key} data-testid="lookup-key"
          onChange={e => { setKey(e.target.value) }} maxLength={512} />
        <button type="submit" className="primary" data-testid="lookup-button" disabled={busy || key.trim() === ''}>Look up</button>
      </form>
      {error !== null && <p className="banner error" role="alert">{error}</p>}
    </>
  )
}

function ChordRingCard ({ ring, protocol, api, onRefresh }: { ring: ChordRing, protocol: string, api: DhtApi, onRefresh: () => void }) {
  const [lookup, setLookup] = useState<LookupResult | null>(null)

  const owner = lookup?.found[0]
  return (
    <div className="ring-layout">
      <section className="card" aria-labelledby="ring-heading">
        <h2 id="ring-heading">The ring</h2>
        <RingDrawing ring={ring} lookup={lookup} />
        <ul className="ring-legend">
          <li><span className="swatch self" />this peer</li>
          <li><span className="swatch successor" />successors</li>
          <li><span className="swatch predecessor" />predecessor</li>
          <li><span className="swatch hop" />lookup hops</li>
        </ul>
      </section>
      <div>
        <section className="card" aria-labelledby="lookup-heading">
          <h2 id="lookup-heading">Look up a key</h2>
          <LookupForm api={api} onResult={answer => { setLookup(answer); onRefresh() }} />
          {lookup !== null && (
            <div data-testid="lookup-result">
              <p>
                <span data-testid="lookup-hops">{plural(lookup.hops, 'hop')}</span>, {lookup.ms} ms — the key's successor is{' '}
                <span className="mono" data-testid="lookup-owner" title={owner?.peer}>{owner === undefined ? 'unknown' : shortPeerId(owner.peer)}</span>
              </p>
              <ol className="hop-list" data-testid="lookup-path">
                <li>{shortPeerId(ring.self.peer)} (this peer)</li>
                {lookup.path.map((hop, i) => <li key={`${hop.peer}-${i}`}>{shortPeerId(hop.peer)}</li>)}
              </ol>
            </div>
          )}
          <p className="hint">Lookups are iterative: this peer asks each hop for the closest node it knows before the key, until one answers with the key's successor.</p>
        </section>
        <section className="card" aria-labelledby="table-heading">
          <h2 id="table-heading">Routing state</h2>
          <dl className="facts">
            <div><dt>Protocol</dt><dd className="mono">{protocol}</dd></div>
            <div><dt>This peer</dt><dd className="mono" title={ring.self.id}>{ring.self.id.slice(0, 12)}…</dd></div>
            <div><dt>Predecessor</dt><dd className="mono" data-testid="ring-predecessor">{ring.predecessor === null ? 'none yet' : shortPeerId(ring.predecessor.peer)}</dd></div>
            <div><dt>Successors</dt><dd className="mono" data-testid="ring-successors">{ring.successors.length === 0 ? 'alone on the ring' : ring.successors.map(s => shortPeerId(s.peer)).join(', ')}</dd></div>
            <div><dt>Fingers</dt><dd>{plural(ring.fingers.length, 'distinct finger')}</dd></div>
          </dl>
          <button type="button" onClick={onRefresh}>Refresh</button>
        </section>
      </div>
    </div>
  )
}

function RingDrawing ({ ring, lookup }: { ring: ChordRing, lookup: LookupResult | null }) {
  const at = (id: string): Point => pointOnRing(id, CENTER, RADIUS)
  const nodes = new Map<string, { id: string, role: string }>()
  for (const f of ring.fingers) nodes.set(f.peer, { id: f.id, role: 'finger' })
  if (ring.predecessor !== null) nodes.set(ring.predecessor.peer, { id: ring.predecessor.id, role: 'predecessor' })
  for (const s of ring.successors) nodes.set(s.peer, { id: s.id, role: 'successor' })
  for (const hop of [...(lookup?.path ?? []), ...(lookup?.found.slice(0, 1) ?? [])]) {
    if (hop.id !== undefined && !nodes.has(hop.peer)) nodes.set(hop.peer, { id: hop.id, role: 'other' })
  }
  const ownerPeer = lookup?.found[0]?.peer
  const hopIds = lookup === null ? [] : [ring.self.id, ...lookup.path.flatMap(h => (h.id === undefined ? [] : [h.id]))]
  // The last step reaches the key's successor, unless the route already ends there.
  const ownerId = lookup?.found[0]?.id
  if (ownerId !== undefined && hopIds.at(-1) !== ownerId) hopIds.push(ownerId)
  const self = at(ring.self.id)
  return (
    <svg className="ring-svg" viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`Chord ring: this peer and ${plural(nodes.size, 'known node')}`} data-testid="ring-svg">
      <defs>
        <marker id="hop-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--bad)" />
        </marker>
      </defs>
      <circle className="ring-circle" cx={CENTER} cy={CENTER} r={RADIUS} />
      {ring.fingers.map(f => <path key={`finger-${f.index}`} className="finger" d={chordPath(self, at(f.id), CENTER)} />)}
      {hopIds.slice(1).map((id, i) => (
        <path key={`hop-${i}`} className="hop" data-testid="lookup-hop" d={chordPath(at(hopIds[i] as string), at(id), CENTER)} />
      ))}
      {lookup !== null && <circle className="key-mark" data-testid="lookup-target" cx={at(lookup.target).x} cy={at(lookup.target).y} r={4}><title>key {lookup.key}</title></circle>}
      {[...nodes].map(([peer, n]) => {
        const p = at(n.id)
        return (
          <circle key={peer} className={`ring-node ${n.role}${peer === ownerPeer ? ' owner' : ''}`} cx={p.x} cy={p.y} r={7} data-testid="ring-node" data-role={n.role}>
            <title>{`${peer} (${n.role})`}</title>
          </circle>
        )
      })}
      <circle className="ring-node self" cx={self.x} cy={self.y} r={9} data-testid="ring-self"><title>{`${ring.self.peer} (this peer)`}</title></circle>
    </svg>
  )
}

/** The k-buckets as a picture: a column per shared-prefix length (far on the left, near on the right), a dot per peer. */
function BucketDrawing ({ buckets }: { buckets: RingResponse['buckets'] }) {
  const columns = Math.max(8, ...buckets.map(b => b.commonPrefixLength + 1))
  const tallest = Math.max(1, ...buckets.map(b => b.peers.length))
  const [width, height, left, bottom, top] = [440, 180, 8, 34, 8]
  const colW = (width - 2 * left) / columns
  const dot = Math.min(6, colW / 2 - 1, (height - bottom - top) / tallest / 2 - 1)
  const peers = buckets.reduce((n, b) => n + b.peers.length, 0)
  return (
    <svg className="bucket-svg" viewBox={`0 0 ${width} ${height}`} role="img" data-testid="kad-drawing"
      aria-label={`Routing table: ${plural(peers, 'peer')} in ${plural(buckets.filter(b => b.peers.length > 0).length, 'bucket')}`}>
      <line className="axis" x1={left} y1={height - bottom} x2={width - left} y2={height - bottom} />
      {Array.from({ length: columns }, (_, cpl) => (
        <text key={cpl} x={left + (cpl + 0.5) * colW} y={height - bottom + 12} textAnchor="middle">{columns <= 32 || cpl % 4 === 0 ? cpl : ''}</text>
      ))}
      <text x={left} y={height - 4}>far: no bits shared</text>
      <text x={width - left} y={height - 4} textAnchor="end">near: many bits shared →</text>
      {buckets.flatMap(b => b.peers.map((peer, i) => (
        <circle key={peer} className="bucket-peer" data-testid="kad-peer" data-cpl={b.commonPrefixLength}
          cx={left + (b.commonPrefixLength + 0.5) * colW} cy={height - bottom - (i + 0.5) * (2 * dot + 2)} r={dot}>
          <title>{`${peer}: shares ${b.commonPrefixLength} leading bits with this peer`}</title>
        </circle>
      )))}
    </svg>
  )
}

function KademliaCard ({ ring, api, onRefresh }: { ring: RingResponse, api: DhtApi, onRefresh: () => void }) {
  const [lookup, setLookup] = useState<LookupResult | null>(null)
  return (
    <div className="ring-layout">
      <section className="card" aria-labelledby="buckets-heading">
        <h2 id="buckets-heading">Routing table (Kademlia)</h2>
        <p className="hint">Peers sit in buckets by how many leading bits their id shares with this peer's: the more bits, the closer. Lookups jump to ever closer buckets. It redraws as peers come and go.</p>
        {ring.buckets.length === 0
          ? <p className="muted">No peers in the routing table yet.</p>
          : <BucketDrawing buckets={ring.buckets} />}
        <details className="small">
          <summary>Details</summary>
          <p className="mono">{ring.protocol}</p>
          <ul data-testid="kad-buckets">
            {ring.buckets.map(b => <li key={b.commonPrefixLength}>prefix {b.commonPrefixLength}: {plural(b.peers.length, 'peer')}</li>)}
          </ul>
        </details>
        <button type="button" onClick={onRefresh}>Refresh</button>
      </section>
      <section className="card" aria-labelledby="kad-lookup-heading">
        <h2 id="kad-lookup-heading">Look up a key</h2>
        <LookupForm api={api} onResult={answer => { setLookup(answer); onRefresh() }} />
        {lookup !== null && (
          <div data-testid="lookup-result">
            <p><span data-testid="lookup-contacted">{plural(lookup.contacted, 'peer')} asked</span>, {plural(lookup.hops, 'round')} deep, {lookup.ms} ms.</p>
            <h3>Answered, in order</h3>
            <ol className="hop-list" data-testid="lookup-path">
              {lookup.path.map((hop, i) => <li key={`${hop.peer}-${i}`} title={hop.peer}>{shortPeerId(hop.peer)}</li>)}
            </ol>
            <h3>Closest to the key</h3>
            <ol className="hop-list" data-testid="lookup-found">
              {lookup.found.map(node => <li key={node.peer} title={node.peer}>{shortPeerId(node.peer)}</li>)}
            </ol>
          </div>
        )}
        <p className="hint">Kademlia asks a few of the closest peers it knows at once; each answers with peers closer still, until no one knows closer ones.</p>
      </section>
    </div>
  )
}
