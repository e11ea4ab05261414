// Chord vs Kademlia routing in the simulator, against the Chord paper:
//  - figure 10: mean, 1st and 99th percentile path length on 2^3 … 2^14 nodes vs ½·log2 N;
//  - figure 11: on 10^4 nodes, the fraction of failed lookups after a fraction p fails at once,
//    before and after stabilization, and the keys lost (the paper, without replication: ≈ p).
// Run: npm run bench:dht   (DHT_BENCH_MAX_EXP=10 DHT_BENCH_FAIL_NODES=2000 for a quicker run)
import { runExperiment, type ExperimentResult } from '../p2p/dht/simulator/experiments.ts'

const maxExp = Number(process.env.DHT_BENCH_MAX_EXP ?? 14)
const failNodes = Number(process.env.DHT_BENCH_FAIL_NODES ?? 10_000)
const lookups = Number(process.env.DHT_BENCH_LOOKUPS ?? 10_000)

const fixed = (x: number | undefined, digits = 2): string => (x ?? 0).toFixed(digits).padStart(6)

console.log('Path length (Chord paper, figure 10): mean [p1, p99]; baseline ½·log2 N')
console.log('       N   ½·log2N |   chord mean [p1,p99] | kademlia mean [p1,p99] contacted')
for (let e = 3; e <= maxExp; e++) {
  const nodes = 2 ** e
  const chord = runExperiment({ protocol: 'chord', nodes, lookups })
  const kad = runExperiment({ protocol: 'kademlia', nodes, lookups: Math.min(lookups, 2000) })
  const cell = (r: ExperimentResult): string => `${fixed(r.meanPathLength)} [${r.p1},${r.p99}]`.padStart(14)
  console.log(`${String(nodes).padStart(8)} ${fixed(chord.halfLog2N).padStart(9)} | ${cell(chord).padStart(21)} | ${cell(kad).padStart(22)} ${fixed(kad.meanContacted, 1)}`)
}

console.log(`\nFailures on ${failNodes} nodes (Chord paper, figure 11): failed lookups before → after stabilization; keys lost; baseline: paper ≈ p lost without replication`)
console.log('     p | chord failed  before → after  lost(r)  lost(r=1) | kademlia failed before → after  lost(k)')
for (const fail of [0.1, 0.2, 0.3, 0.4, 0.5]) {
  const chord = runExperiment({ protocol: 'chord', nodes: failNodes, fail, lookups: Math.min(lookups, 2000) })
  const kad = runExperiment({ protocol: 'kademlia', nodes: failNodes, fail, lookups: Math.min(lookups, 500) })
  console.log(`${fixed(fail, 1)} | ${fixed(chord.failedLookups, 3)} → ${fixed(chord.failedLookupsAfterStabilization, 3)}         ${fixed(chord.keysLost, 3)}   ${fixed(chord.keysLostUnreplicated, 3)} | ${fixed(kad.failedLookups, 3)} → ${fixed(kad.failedLookupsAfterStabilization, 3)}            ${fixed(kad.keysLost, 3)}`)
}
