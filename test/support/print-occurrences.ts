// Run with a fixed TZ by recurrence-tz.test.ts: expands a weekly 10:00 Europe/Berlin series and prints,
// per occurrence, its instant and the hour a viewer sees in this process's own zone (as the UI does).
import { parseLocal } from '../../p2p/calendar/recurrence/civil.ts'
import { expand } from '../../p2p/calendar/recurrence/expand.ts'
import { parseRule } from '../../p2p/calendar/recurrence/rule.ts'

const rule = parseRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20261110T000000Z', { fromUtc: u => u, fromLocal: l => l })
const { occurrences } = expand({ start: parseLocal('20260302T100000') as number, rule }, 'Europe/Berlin', { from: Date.UTC(2026, 0), to: Date.UTC(2027, 0), durationMs: 3_600_000 })
process.stdout.write(JSON.stringify(occurrences.map(o => {
  const seen = new Date(o.start)
  return { start: seen.toISOString(), viewer: `${seen.getFullYear()}-${seen.getMonth() + 1}-${seen.getDate()} ${seen.getHours()}:${String(seen.getMinutes()).padStart(2, '0')}` }
})))
