// The simulator's experiments on small networks (the big runs are bench/dht-paths.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runExperiment } from '../../../p2p/dht/simulator/experiments.ts'
import { simulateDhtCommand, parseSimulateArgs } from '../../../p2p/dht/simulator/cli.ts'
import { runSubcommand, SubcommandUsageError } from '../../../p2p/subcommand.ts'
import { xorClosest, SimulatedKademliaNetwork } from '../../../p2p/dht/simulator/kademlia-network.ts'
import { seededRandom } from '../../../p2p/seeded-random.ts'
import { chordId } from '../../../p2p/dht/chord/ring.ts'

test('chord path length on a stable ring grows like ½·log2 N and every lookup succeeds', () => {
  const small = runExperiment({ protocol: 'chord', nodes: 16, lookups: 500 })
  const large = runExperiment({ protocol: 'chord', nodes: 512, lookups: 1000, fail: 0 })
  assert.equal(large.failedLookups, 0)
  assert.ok(small.meanPathLength < large.meanPathLength)
  for (const r of [small, large]) {
    assert.ok(Math.abs(r.meanPathLength - r.halfLog2N) < 1, `N=${r.nodes}: mean ${r.meanPathLength} vs ${r.halfLog2N}`)
    assert.ok(r.p1 <= r.meanPathLength && r.meanPathLength <= r.p99)
  }
})

test('chord after 30% of nodes fail: lookups route around them; after stabilization none fail', () => {
  const r = runExperiment({ protocol: 'chord', nodes: 300, fail: 0.3, lookups: 600, successors: 6 })
  assert.equal(r.experiment, 'failure')
  assert.equal(r.failedLookupsAfterStabilization, 0)
  assert.ok((r.failedLookups ?? 1) < 0.05, `failed ${r.failedLookups}`)
  // Without replication about p of the keys would be gone; on 6 successors almost none are.
  assert.ok(Math.abs((r.keysLostUnreplicated ?? 0) - 0.3) < 0.08)
  assert.ok((r.keysLost ?? 1) < 0.01)
})

test('a successor list of 1 cannot survive failures the way a list of r can', () => {
  const thin = runExperiment({ protocol: 'chord', nodes: 200, fail: 0.4, lookups: 400, successors: 1 })
  const wide = runExperiment({ protocol: 'chord', nodes: 200, fail: 0.4, lookups: 400, successors: 8 })
  assert.ok((thin.failedLookups ?? 0) > (wide.failedLookups ?? 1), `r=1 ${thin.failedLookups} vs r=8 ${wide.failedLookups}`)
})

test('kademlia: XOR-closest lookups with k-buckets and α=3 find the closest live node', () => {
  const r = runExperiment({ protocol: 'kademlia', nodes: 200, lookups: 200, fail: 0.3 })
  assert.equal(r.failedLookupsAfterStabilization, 0)
  assert.ok(r.meanPathLength <= r.halfLog2N + 1)
  assert.ok(r.meanContacted >= 3)
})

test('xorClosest walks the id trie to the same answer as sorting everyone', () => {
  const refs = Array.from({ length: 300 }, (_, i) => ({ id: chordId(`n${i}`), peer: `n${i}` })).sort((a, b) => (a.id < b.id ? -1 : 1))
  for (let j = 0; j < 50; j++) {
    const key = chordId(`k${j}`)
    const brute = [...refs].sort((a, b) => ((a.id ^ key) < (b.id ^ key) ? -1 : 1)).slice(0, 7)
    assert.deepEqual(xorClosest(refs, key, 7, 160), brute)
  }
  const net = new SimulatedKademliaNetwork({ bits: 160, k: 4 })
  net.fillBuckets(refs, seededRandom(3))
  assert.equal(net.lookup('n0', refs[100]?.id ?? 0n).closest?.peer, refs[100]?.peer)
})

test('simulate-dht --json prints one object per experiment with the issue\'s fields', () => {
  const lines: string[] = []
  const code = runSubcommand('simulate-dht', simulateDhtCommand, ['--protocol', 'chord', '--nodes', '8,32', '--fail', '0.2', '--lookups', '50', '--json'], l => lines.push(l), () => {})
  assert.equal(code, 0)
  assert.equal(lines.length, 2)
  for (const line of lines) {
    const r = JSON.parse(line) as Record<string, unknown>
    for (const field of ['nodes', 'meanPathLength', 'p1', 'p99', 'failedLookups']) assert.equal(typeof r[field], 'number', field)
  }
  assert.deepEqual(lines.map(l => (JSON.parse(l) as { nodes: number }).nodes), [8, 32])
})

test('simulate-dht refuses bad flags with exit code 2', () => {
  const errors: string[] = []
  assert.equal(runSubcommand('simulate-dht', simulateDhtCommand, ['--protocol', 'pastry', '--nodes', '8'], () => {}, l => errors.push(l)), 2)
  assert.match(errors[0] ?? '', /--protocol/)
  assert.throws(() => parseSimulateArgs(['--protocol', 'chord', '--nodes', '1']), SubcommandUsageError)
  assert.throws(() => parseSimulateArgs(['--protocol', 'chord', '--nodes', '8', '--fail', '1.5']), SubcommandUsageError)
})
