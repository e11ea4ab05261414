// The anti-entropy schedule (pure): periodic sessions with jitter, backoff after failures, news passed
// on at once. Property test (fast-check): on any connected graph of members where only neighbours can
// reach each other, the schedule's sessions bring every write, committed, to every member within two
// periods of the last write.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { AntiEntropySchedule, DEFAULT_SCHEDULE, explainFailure, type ScheduleOptions } from '../../../p2p/calendar/sync/schedule.ts'
import { writeId } from '../../../p2p/calendar/bayou/order.ts'
import type { Replica, ReceiveResult } from '../../../p2p/calendar/bayou/replica.ts'
import { createCalendar, join, reserve, sharedState } from './harness.ts'
import { seededRandom } from '../../../p2p/seeded-random.ts'

const options = (random = () => 0.5): ScheduleOptions => ({ ...DEFAULT_SCHEDULE, random })
const PERIOD = DEFAULT_SCHEDULE.periodMs

test('members are due at once, then every period (with jitter); a failure backs off, doubling up to the cap', () => {
  let r = 0
  const schedule = new AntiEntropySchedule(options(() => [0, 0.999][r++ % 2]!))
  schedule.setMembers(['b', 'c'], 0)
  assert.deepEqual(schedule.take(0), ['b', 'c'])
  assert.deepEqual(schedule.take(0), [], 'running sessions are not taken twice')
  schedule.finished('b', { ok: true }, 100)
  schedule.finished('c', { ok: true }, 100)
  assert.equal(schedule.state('b')!.due, 100 + PERIOD * 0.8, 'shortest jitter')
  assert.ok(Math.abs(schedule.state('c')!.due - (100 + PERIOD * 1.2)) < 10, 'longest jitter')

  const backoff = new AntiEntropySchedule(options())
  backoff.setMembers(['d'], 0)
  const waits: number[] = []
  let now = 0
  for (let i = 0; i < 8; i++) {
    backoff.take(now)
    backoff.finished('d', { ok: false, reason: 'offline' }, now)
    waits.push(backoff.state('d')!.due - now)
    now = backoff.state('d')!.due
  }
  assert.deepEqual(waits, [5000, 10000, 20000, 40000, 80000, 120000, 120000, 120000])
  assert.equal(backoff.state('d')!.reason, 'offline')
  backoff.reachable('d', now + 1)
  assert.equal(backoff.state('d')!.failures, 0, 'a connection ends the backoff')
  assert.deepEqual(backoff.take(now + 1), ['d'])
})

test('news is forwarded at once to every member not backing off, never back to its source', () => {
  const schedule = new AntiEntropySchedule(options())
  schedule.setMembers(['a', 'b', 'c'], 0)
  for (const peer of schedule.take(0)) schedule.finished(peer, peer === 'c' ? { ok: false, reason: 'gone' } : { ok: true }, 0)
  schedule.forward('a', 150)
  assert.deepEqual(schedule.take(150), ['b'])
  assert.equal(schedule.nextDue(), 5000, 'c keeps its backoff; a its period')
  schedule.answered('c', 200)
  assert.equal(schedule.state('c')!.reason, null, 'a session it started shows it reachable')
  schedule.setMembers(['b'], 300)
  assert.deepEqual(schedule.peers(), ['b'], 'retired members are dropped')
})

test('failures read in plain language, the error kept in brackets', () => {
  assert.match(explainFailure('connect ECONNREFUSED 127.0.0.1:4001'), /^its computer answered, but Tidepool is not running there \(connect ECONNREFUSED/)
  assert.match(explainFailure('The operation was aborted due to timeout'), /did not answer in time/)
  assert.match(explainFailure('connect EHOSTUNREACH 10.0.0.2:4001'), /no network path/)
  assert.match(explainFailure('The dial request has no valid addresses', 'NoValidAddressesError'), /no address is known/)
  assert.match(explainFailure('refused: not-member: you are not a member'), /no longer takes us/)
  assert.match(explainFailure('Unexpected EOF - stream closed while reading 0/1 bytes'), /broke off/)
  assert.match(explainFailure('Encryption failed'), /turned the connection away/)
  assert.match(explainFailure('Protocol selection failed - could not negotiate /tidepool/x/calendar-sync/1.0.0'), /does not answer calendar sessions/)
})

/** One session as the protocol runs it (sync/session.ts): responder's batch, initiator's, responder's last word. */
function session (initiator: Replica, responder: Replica): { initiatorGot: boolean, responderGot: boolean } {
  const news = (r: ReceiveResult): boolean => r.accepted > 0 || r.committed > 0 || r.issued.length > 0 || r.snapshot
  const first = initiator.receive(responder.batchFor(initiator.summary()))
  const second = responder.receive(initiator.batchFor(responder.summary()))
  const third = initiator.receive(responder.batchFor(initiator.summary()))
  return { initiatorGot: news(first) || news(third), responderGot: news(second) }
}

interface Scenario { parents: number[], extra: Array<[number, number]>, writes: Array<{ at: number, by: number }>, seed: number }

const scenarioArbitrary = fc.integer({ min: 2, max: 6 }).chain(n => fc.record({
  // A random tree (each member's first neighbour is an earlier one) keeps the graph connected.
  parents: fc.tuple(...Array.from({ length: n - 1 }, (_, i) => fc.nat({ max: i }))),
  extra: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: n }),
  writes: fc.array(fc.record({ at: fc.nat({ max: 3 * PERIOD }), by: fc.nat({ max: n - 1 }) }), { minLength: 1, maxLength: 8 }),
  seed: fc.nat()
}))

function runScenario ({ parents, extra, writes, seed }: Scenario): void {
  const n = parents.length + 1
  const edges = new Set<string>()
  const link = (a: number, b: number): void => { if (a !== b) { edges.add(`${a}-${b}`); edges.add(`${b}-${a}`) } }
  parents.forEach((p, i) => { link(p, i + 1) })
  for (const [a, b] of extra) link(a, b)
  // Each joins through its tree parent (the join itself is a session along that edge); the root is primary.
  const replicas = [createCalendar(1)]
  parents.forEach((p, i) => { replicas.push(join(replicas[p]!, 2 + i)) })
  const random = seededRandom(seed)
  const peers = replicas.map((_, i) => String(i))
  const schedules = replicas.map((_, i) => {
    const s = new AntiEntropySchedule({ ...DEFAULT_SCHEDULE, random })
    s.setMembers(peers.filter(p => p !== String(i)), 0)
    return s
  })
  const pending = [...writes].sort((a, b) => a.at - b.at)
  const issued: string[] = []
  const lastWrite = pending.at(-1)!.at
  const deadline = lastWrite + 2 * PERIOD
  let now = 0
  for (;;) {
    const nextSession = Math.min(...schedules.map(s => s.nextDue() ?? Infinity))
    const nextWrite = pending[0]?.at ?? Infinity
    now = Math.min(nextSession, nextWrite)
    if (now > deadline) break
    if (nextWrite <= nextSession) {
      const w = pending.shift()!
      issued.push(writeId(reserve(replicas[w.by]!, `w${issued.length}`, [9, 10, 11], 100 + w.at).write))
      schedules[w.by]!.forward(undefined, w.at + 150)
      continue
    }
    schedules.forEach((schedule, i) => {
      for (const peer of schedule.take(now)) {
        const j = Number(peer)
        if (!edges.has(`${i}-${j}`)) {
          schedule.finished(peer, { ok: false, reason: 'no route' }, now)
          continue
        }
        const got = session(replicas[i]!, replicas[j]!)
        schedule.finished(peer, { ok: true }, now)
        schedules[j]!.answered(String(i), now)
        if (got.initiatorGot) schedule.forward(peer, now + 150)
        if (got.responderGot) schedules[j]!.forward(String(i), now + 150)
      }
    })
  }
  const reference = sharedState(replicas[0]!)
  for (const [i, r] of replicas.entries()) {
    assert.equal(sharedState(r), reference, `member ${i} of ${n} converged by ${deadline} ms (edges ${[...edges].join(' ')})`)
    const committed = new Set(r.log().filter(e => e.csn != null).map(e => writeId(e.write)))
    for (const id of issued) assert.ok(committed.has(id), `${id} committed on member ${i}`)
  }
}

test('property: on any connected graph of members, scheduled sessions commit every write everywhere within two periods', () => {
  fc.assert(fc.property(scenarioArbitrary, runScenario), { numRuns: 60 })
})
