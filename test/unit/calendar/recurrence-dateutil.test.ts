// The rule engine against a second, independent implementation: python-dateutil's rrule (Debian's
// python3-dateutil), on 200 seeded random rules (8 years each). Runs where python3 with dateutil is installed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { seededRandom } from '../../../p2p/seeded-random.ts'
import { DAY, formatLocal, parseLocal } from '../../../p2p/calendar/recurrence/civil.ts'
import { expand } from '../../../p2p/calendar/recurrence/expand.ts'

/** Debian's python3 first (where apt-get puts python3-dateutil); a python3 earlier on PATH may not see it. */
const PYTHON = ['/usr/bin/python3', 'python3'].find(p => spawnSync(p, ['-c', 'import dateutil.rrule']).status === 0) ?? 'python3'
import { formatRule, parseRule, type Rule } from '../../../p2p/calendar/recurrence/rule.ts'

const SCRIPT = fileURLToPath(new URL('../../support/dateutil-rrule.py', import.meta.url))
const CASES = 200
const COUNT = 25

function dateutilMissing (): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import dateutil.rrule'], { encoding: 'utf8' })
  if (probe.error != null) return 'python3 is not installed'
  if (probe.status !== 0) return 'python3 has no dateutil (apt-get install python3-dateutil)'
  return null
}

function randomRule (random: () => number): Rule {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const some = <T>(items: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(items)))]
  const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter(n => n !== 0)
  const freq = pick(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const)
  const rule: Rule = { freq, interval: 1 + Math.floor(random() * 3), count: COUNT, wkst: Math.floor(random() * 7) }
  const ordinals = freq === 'MONTHLY' || freq === 'YEARLY'
  if (random() < 0.3) rule.byMonth = some(range(1, 12), 4)
  if (freq === 'YEARLY' && random() < 0.25) rule.byWeekNo = some(range(-53, 53), 3)
  if (freq === 'YEARLY' && rule.byWeekNo === undefined && random() < 0.2) rule.byYearDay = some(range(-366, 366), 4)
  if (freq !== 'WEEKLY' && random() < 0.35) rule.byMonthDay = some([...range(-31, 31), 28, 29, 30, 31, -1], 4)
  if (random() < 0.5) {
    const n = ordinals && rule.byWeekNo === undefined && random() < 0.5
    rule.byDay = some(range(0, 6), 3).map(day => n ? { day, n: pick(freq === 'MONTHLY' || rule.byMonth !== undefined ? [1, 2, 3, 4, -1, -2, 5] : [1, 2, 10, 20, 52, -1, -3]) } : { day })
  }
  if (random() < 0.15) rule.byHour = some(range(0, 23).concat(0), 3)
  if (random() < 0.15) rule.byMinute = some([0, 15, 30, 45], 2)
  if (random() < 0.2) rule.bySetPos = some([1, 2, 3, -1, -2], 2)
  return rule
}

test('random rules expand as python-dateutil expands them', t => {
  const missing = dateutilMissing()
  if (missing != null) { t.skip(`skipped: ${missing}`); return }
  const random = seededRandom(5545)
  const cases = Array.from({ length: CASES }, () => {
    const start = Date.UTC(1995 + Math.floor(random() * 40), 0, 1) + Math.floor(random() * 365) * DAY + Math.floor(random() * 96) * 900_000
    const rule = randomRule(random)
    return { start, rule, end: start + 8 * 366 * DAY }
  })
  const input = cases.map(c => ({ dtstart: formatLocal(c.start), rrule: `RRULE:${formatRule(c.rule, v => formatLocal(v))}`, end: formatLocal(c.end) }))
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 })
  assert.equal(run.status, 0, run.stderr)
  const theirs = JSON.parse(run.stdout) as string[][]
  let synchronized = 0
  cases.forEach((c, i) => {
    const ours = expand({ start: c.start, rule: c.rule }, null, { from: c.start, to: c.end + 1, durationMs: 0 }).occurrences.map(o => formatLocal(o.local))
    const expected = theirs[i] as string[]
    // RFC 5545 makes DTSTART the first instance even when the rule does not describe it (dateutil
    // leaves it out): then ours is DTSTART followed by dateutil's first COUNT - 1.
    const dtstart = formatLocal(c.start)
    if (expected[0] === dtstart) synchronized++
    const want = expected[0] === dtstart ? expected : [dtstart, ...expected.slice(0, COUNT - 1)]
    assert.deepEqual(ours, want, `DTSTART:${dtstart} RRULE:${formatRule(c.rule, v => formatLocal(v))}`)
  })
  assert.ok(synchronized > 20, `only ${synchronized} rules describe their own DTSTART`)
  // Re-parsing the text form gives back the rule.
  for (const c of cases) assert.deepEqual(parseRule(formatRule(c.rule, v => formatLocal(v)), { fromUtc: u => u, fromLocal: l => l }), c.rule)
  assert.equal(parseLocal(formatLocal(cases[0]?.start as number)), cases[0]?.start)
})
