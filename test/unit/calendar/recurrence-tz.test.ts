// Expansion does not depend on the zone of the machine: processes run with TZ fixed to three zones
// get the same instants, and each viewer sees the Berlin 10:00 at its own right local hour across
// the DST changes of both places.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../../support/print-occurrences.ts', import.meta.url))

function runIn (tz: string): Array<{ start: string, viewer: string }> {
  const child = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, TZ: tz }, encoding: 'utf8' })
  assert.equal(child.status, 0, child.stderr)
  return JSON.parse(child.stdout) as Array<{ start: string, viewer: string }>
}

test('the same instants under TZ=America/New_York, Asia/Kolkata and Europe/Berlin; each viewer its own hour', () => {
  const ny = runIn('America/New_York')
  const kolkata = runIn('Asia/Kolkata')
  const berlin = runIn('Europe/Berlin')
  assert.deepEqual(ny.map(o => o.start), berlin.map(o => o.start))
  assert.deepEqual(kolkata.map(o => o.start), berlin.map(o => o.start))
  assert.equal(berlin.length, 37) // Mondays from March 2 to November 9
  for (const o of berlin) assert.match(o.viewer, / 10:00$/)
  const at = (list: typeof ny, date: string): string => list.find(o => o.viewer.startsWith(`${date} `))?.viewer.split(' ')[1] as string
  // New York: 04:00 EST; 05:00 from its March 8 change; 04:00 after Berlin's March 29; 05:00 after
  // Berlin's October 25 and before New York's November 1; 04:00 again.
  assert.deepEqual(['2026-3-2', '2026-3-9', '2026-3-30', '2026-10-26', '2026-11-2'].map(d => at(ny, d)), ['4:00', '5:00', '4:00', '5:00', '4:00'])
  // Kolkata (UTC+5:30, no DST): 14:30 in Berlin's winter, 13:30 in its summer.
  assert.deepEqual(['2026-3-23', '2026-3-30', '2026-10-19', '2026-10-26'].map(d => at(kolkata, d)), ['14:30', '13:30', '13:30', '14:30'])
})
