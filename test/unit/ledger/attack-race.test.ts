// The attack race against the Bitcoin paper's own table and the exact formula.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { exactProbability, paperProbability, simulateAttack, wilsonInterval } from '../../../p2p/ledger/attack/race.ts'
import { simulateAttackCommand } from '../../../p2p/ledger/attack/cli.ts'
import { seededRandom } from '../../../p2p/seeded-random.ts'
import { runSubcommand } from '../../../p2p/subcommand.ts'
import { simulateAttackInWorker } from '../../../p2p/ledger/attack/in-worker.ts'

test("the paper's formula reproduces its section-11 table", () => {
  const q1 = [1.0000000, 0.2045873, 0.0509779, 0.0131722, 0.0034552, 0.0009137, 0.0002428, 0.0000647, 0.0000173, 0.0000046, 0.0000012]
  q1.forEach((want, z) => { assert.ok(Math.abs(paperProbability(0.1, z) - want) < 5e-8, `q=0.1 z=${z}: ${paperProbability(0.1, z)}`) })
  const q3 = [1.0000000, 0.1773523, 0.0416605, 0.0101008, 0.0024804, 0.0006132, 0.0001522, 0.0000379, 0.0000095, 0.0000024, 0.0000006]
  q3.forEach((want, i) => { assert.ok(Math.abs(paperProbability(0.3, i * 5) - want) < 5e-8, `q=0.3 z=${i * 5}: ${paperProbability(0.3, i * 5)}`) })
})

test('the exact probability: certain at z = 0 or q ≥ ½, q/p at z = 1, and not the Poisson figure', () => {
  assert.equal(exactProbability(0.1, 0), 1)
  assert.equal(exactProbability(0.5, 6), 1)
  // z = 1: the attacker mines first (q) or falls one behind then catches up (p·q/p).
  assert.ok(Math.abs(exactProbability(0.1, 1) - 0.2) < 1e-12)
  assert.ok(Math.abs(exactProbability(0.1, 1) - paperProbability(0.1, 1)) > 0.004)
})

test('measured success rates fall within their interval of the exact probability', () => {
  const random = seededRandom(42)
  for (const [q, z] of [[0.1, 1], [0.1, 2], [0.3, 5], [0.45, 3]] as const) {
    const result = simulateAttack(q, z, 20_000, random)
    assert.ok(result.ci[0] <= result.exact && result.exact <= result.ci[1], `q=${q} z=${z}: exact ${result.exact} outside ${result.ci}`)
  }
  assert.equal(simulateAttack(0.2, 7, 10, random).paper, null)
})

test('the Wilson interval stays inside [0, 1] and is honest with no successes', () => {
  const [lo, hi] = wilsonInterval(0, 100)
  assert.ok(lo >= 0 && lo < 1e-12)
  assert.ok(hi > 0.03 && hi < 0.04)
})

test('simulate-attack prints one JSON object per (q, z) and refuses bad flags with exit code 2', () => {
  const lines: string[] = []
  const errors: string[] = []
  assert.equal(runSubcommand('simulate-attack', simulateAttackCommand, ['--q', '0.1', '--z', '0,1,2', '--trials', '2000', '--json'], l => lines.push(l), l => errors.push(l)), 0)
  const results = lines.map(l => JSON.parse(l))
  assert.deepEqual(results.map(r => r.z), [0, 1, 2])
  assert.deepEqual(Object.keys(results[1]).sort(), ['ci', 'exact', 'measured', 'paper', 'q', 'trials', 'z'])
  assert.ok(Math.abs(results[1].paper - 0.2045873) < 1e-7)
  for (const bad of [['--q', '0.6', '--z', '1', '--trials', '10'], ['--q', '0.1', '--trials', '10'], ['--q', '0.1', '--z', '1,x', '--trials', '10'], ['--nope']]) {
    assert.equal(runSubcommand('simulate-attack', simulateAttackCommand, bad, () => {}, l => errors.push(l)), 2, bad.join(' '))
  }
  assert.match(errors.at(-1)!, /usage: tidepool simulate-attack/)
})

test('the table is computed on a worker thread with the same seeded results', async () => {
  const job = { q: 0.3, z: [0, 5], trials: 3000, seed: 7 }
  const results = await simulateAttackInWorker(job)
  const random = seededRandom(7)
  assert.deepEqual(results, job.z.map(z => simulateAttack(job.q, z, job.trials, random)))
})

test('simulate-attack --help prints the usage and succeeds', () => {
  const lines: string[] = []
  assert.equal(runSubcommand('simulate-attack', simulateAttackCommand, ['--help'], l => lines.push(l), () => {}), 0)
  assert.match(lines.join('\n'), /usage: tidepool simulate-attack/)
})
