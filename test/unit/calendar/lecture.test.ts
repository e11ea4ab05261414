// The examples of the Bayou lecture (6.824 2018, lecture 17), each on in-memory replicas.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compareStamps, nextStamp } from '../../../p2p/calendar/bayou/order.ts'
import { at, createCalendar, join, reserve, schedule, sharedState, sync, syncBoth } from './harness.ts'

test('stamps order by accept-stamp, then replica id', () => {
  const cases: Array<[[number, string], [number, string], number]> = [
    [[10, 'A'], [20, 'B'], -1],
    [[20, 'A'], [10, 'B'], 1],
    [[10, 'A'], [10, 'B'], -1],
    [[10, 'B'], [10, 'A'], 1],
    [[10, 'A'], [10, 'A'], 0]
  ]
  for (const [[s1, r1], [s2, r2], want] of cases) {
    assert.equal(compareStamps({ stamp: s1, replica: r1 }, { stamp: s2, replica: r2 }), want, `<${s1},${r1}> vs <${s2},${r2}>`)
  }
})

test('the Lamport clock: T = max(Tmax + 1, wall clock)', () => {
  assert.equal(nextStamp(10, 5), 11) // slow wall clock: still after everything seen
  assert.equal(nextStamp(10, 50), 50)
  assert.equal(nextStamp(10, 11), 11)
})

/** Three peers: A (the primary), B, C; then A's <10,A> staff meeting and B's <20,B> hiring meeting. */
function lectureExample (): { a: ReturnType<typeof createCalendar>, b: ReturnType<typeof createCalendar>, c: ReturnType<typeof createCalendar> } {
  const a = createCalendar(1)
  const b = join(a, 2)
  const c = join(a, 3)
  syncBoth(a, b)
  return { a, b, c }
}

const DIRECTED = [['a', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'a'], ['b', 'c'], ['c', 'b']] as const

function permutations<T> (items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [item, ...rest]))
}

test('lecture: staff <10,A> and hiring <20,B>, "10:00 or 11:00", end as staff 10, hiring 11 in every sync order', () => {
  const orders = permutations(DIRECTED)
  assert.equal(orders.length, 720)
  for (const order of orders) {
    const replicas = lectureExample()
    reserve(replicas.a, 'staff', [10, 11], 10)
    reserve(replicas.b, 'hiring', [10, 11], 20)
    // Before syncing, each shows its own meeting at 10:00.
    assert.deepEqual(schedule(replicas.a), { staff: 10 })
    assert.deepEqual(schedule(replicas.b), { hiring: 10 })
    assert.deepEqual(schedule(replicas.c), {})
    for (let round = 0; round < 2; round++) for (const [from, to] of order) sync(replicas[from], replicas[to])
    for (const r of Object.values(replicas)) assert.deepEqual(schedule(r), { staff: 10, hiring: 11 }, `order ${order.join(' ')}`)
    assert.equal(sharedState(replicas.b), sharedState(replicas.c))
    assert.equal(sharedState(replicas.a), sharedState(replicas.b))
  }
})

test('lecture: B, having synced both, rolls back its own meeting and replays it after A\'s', () => {
  const { a, b } = lectureExample()
  reserve(a, 'staff', [10, 11], 10)
  reserve(b, 'hiring', [10, 11], 20)
  const result = sync(a, b)
  assert.equal(result.rolledBack, 1, 'hiring rolled back')
  assert.equal(result.replayed, 2, 'staff run, then hiring re-run')
  assert.deepEqual(schedule(b), { staff: 10, hiring: 11 })
})

test('causality with a slow clock: B sees A\'s add, deletes it; everyone orders the delete after the add', () => {
  const { a, b, c } = lectureExample()
  const add = reserve(a, 'review', [10], 100)
  sync(a, b)
  const del = b.issue({ kind: 'cancel', eventId: `${add.write.stamp}@${add.write.replica}` }, 9) // B's wall clock says 9
  assert.ok(del.write.stamp > add.write.stamp, `delete <${del.write.stamp}> after add <${add.write.stamp}>`)
  assert.equal(del.outcome.ok, true)
  // C hears of the delete first (from B), then of the add from A: still add, then delete.
  sync(b, c)
  sync(a, c)
  sync(c, a)
  for (const r of [a, b, c]) {
    assert.deepEqual(schedule(r), {}, r.id)
    const order = r.log().map(e => e.write.stamp)
    assert.ok(order.indexOf(add.write.stamp) < order.indexOf(del.write.stamp))
  }
})

test('commit reordering (W1/W2): the primary\'s CSNs change C\'s tentative order and C\'s database follows', () => {
  const p = createCalendar(1)
  const a = join(p, 2)
  const b = join(p, 3)
  const c = join(p, 4)
  syncBoth(p, a); syncBoth(p, b); syncBoth(p, c)
  const w1 = reserve(a, 'W1 staff', [10, 11], 10)
  const w2 = reserve(b, 'W2 hiring', [10, 11], 20)
  sync(a, c)
  sync(b, c)
  assert.deepEqual(schedule(c), { 'W1 staff': 10, 'W2 hiring': 11 }, 'tentative order W1 W2')
  assert.deepEqual(c.log().slice(-2).map(e => e.csn), [null, null])

  sync(b, p) // W2 gets a CSN first
  const w2Csn = p.csn
  sync(a, p) // then W1
  assert.equal(p.csn, w2Csn + 1)
  const result = sync(p, c)
  assert.deepEqual(c.log().slice(-2).map(e => [e.write.stamp, e.csn]), [[w2.write.stamp, w2Csn], [w1.write.stamp, w2Csn + 1]])
  assert.deepEqual(schedule(c), { 'W2 hiring': 10, 'W1 staff': 11 }, 'committed order W2 W1')
  assert.equal(result.rolledBack, 2)
  assert.equal(c.tentativeCount(), 0)
})

test('commit in tentative order needs no rollback; rollback is proportional to the changed suffix', () => {
  const p = createCalendar(1)
  const a = join(p, 2)
  const b = join(p, 3)
  syncBoth(p, a); syncBoth(p, b)
  for (let i = 0; i < 20; i++) reserve(a, `a${i}`, [i % 24], 100 + i)
  sync(a, b)
  // A write ordered before 5 of B's tentative writes: exactly those 5 are rolled back and replayed.
  b.issue({ kind: 'reserve', title: 'b', durationMinutes: 30, alternatives: [at(30)], room: 'other' }, 200)
  const early = reserve(p, 'early', [40], 116) // the primary's clock is behind: stamp 116 < a16..a19
  assert.equal(early.write.stamp, 116)
  const result = sync(p, b)
  assert.equal(result.rolledBack, 21, 'the 20 tentative writes from A plus B\'s own')
  sync(a, p)
  const again = sync(p, b)
  assert.ok(again.rolledBack < 21)
})
