// The Kademlia routing table: mode, protocol, size, and each non-empty bucket drawn as a row of dots
// (a Chord network has no buckets; its ring is drawn in views/RingView.tsx).
import type { DhtStatus, PeerInfo } from '../api/types.ts'
import { plural, shortPeerId } from '../format.ts'

export function DhtPanel ({ dht, peers }: { dht: DhtStatus, peers: PeerInfo[] }) {
  const connected = new Set(peers.filter(p => p.connected).map(p => p.peerId))
  const buckets = [...dht.buckets].sort((a, b) => a.commonPrefixLength - b.commonPrefixLength)
  return (
    <div className="dht-panel">
      <dl className="facts">
        <div><dt>Mode</dt><dd data-testid="dht-mode">{dht.mode}</dd></div>
        <div><dt>Protocol</dt><dd className="mono" data-testid="dht-protocol">{dht.protocol}</dd></div>
        <div><dt>Routing table</dt><dd><span data-testid="dht-size">{dht.routingTableSize}</span> {dht.routingTableSize === 1 ? 'peer' : 'peers'}</dd></div>
      </dl>
      <h3 className="subhead">Buckets</h3>
      <p className="hint">
        A peer lands in bucket <i>i</i> when its Kademlia id shares the first <i>i</i> bits with ours
        (XOR distance in [2<sup>255−i</sup>, 2<sup>256−i</sup>)). Bucket 0 covers the far half of the key space;
        each further bucket is half as wide and closer to us. Filled dots are connected peers.
      </p>
      {buckets.length === 0
        ? (
          <p className="muted" data-testid="dht-empty">
            {dht.protocol.includes('/chord/')
              ? 'This network routes with Chord, which keeps a ring instead of buckets: open the DHT section to see it.'
              : 'The routing table is empty: no DHT peers yet.'}
          </p>
          )
        : (
          <ol className="buckets" data-testid="dht-buckets">
            <li className="bucket bucket-head" aria-hidden="true">
              <span className="bucket-label">prefix</span>
              <span>peers in the bucket</span>
              <span className="bucket-count">n</span>
            </li>
            {buckets.map(b => (
              <li key={b.commonPrefixLength} className="bucket" data-testid="dht-bucket" data-cpl={b.commonPrefixLength}>
                <span className="bucket-label" title={`common prefix length ${b.commonPrefixLength}`}>
                  {b.commonPrefixLength}
                </span>
                <span className="bucket-dots" role="group" aria-label={`bucket ${b.commonPrefixLength}: ${plural(b.peers.length, 'peer')}`}>
                  {b.peers.map(id => (
                    <span
                      key={id}
                      role="img"
                      className={`dot ${connected.has(id) ? 'dot-on' : 'dot-off'}`}
                      title={`${id}${connected.has(id) ? ' (connected)' : ''}`}
                      aria-label={shortPeerId(id)}
                    />
                  ))}
                </span>
                <span className="bucket-count">{b.peers.length}</span>
              </li>
            ))}
          </ol>
          )}
    </div>
  )
}
