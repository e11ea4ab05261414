// kad-dht's query parameters on a Tidepool network (bench/dht-peers.ts measures them against kad-dht's
// defaults, K = 20, α = 10, 10 disjoint paths). A kad-dht lookup starts by asking the K closest peers it
// knows and ends once the K closest that answered are known, so K sets how many peers a lookup asks:
// on our networks of tens of peers, K = 20 asked nearly every peer (19 of 20) for every lookup.
// None of these is on the wire: peers with other values still answer each other.
export const KADEMLIA_TUNING = {
  /**
   * K: peers a lookup converges on, peers a FIND_NODE answer names, and replicas of a provider record
   * (provide stores it on the K closest). 8 replicas all lost when 30 % of peers stop at once: 0.3^8 ≈ 7e-5.
   */
  kBucketSize: 8,
  /** α: requests in flight per path, as in the Kademlia paper (3); the K starting peers are asked in turn. */
  alpha: 3,
  /**
   * One path. Each disjoint path converges on its own K closest, so d paths ask up to d·K peers. They guard
   * a lookup against peers that answer with made-up closer peers (S/Kademlia); here a record is signed by
   * its publisher and a file is checked against its CID, so such a peer can hide an answer, not forge one.
   */
  disjointPaths: 1
} as const
