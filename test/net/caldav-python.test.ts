// Tidepool's CalDAV as python3-caldav (Debian's package) uses it: see caldav_client.py.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { startInProcess, callApi } from '../support/in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const SCRIPT = fileURLToPath(new URL('./caldav_client.py', import.meta.url))
// Debian's python first: a python3 earlier on PATH (pyenv, say) does not see Debian's packages.
const python = ['/usr/bin/python3', 'python3'].find(p => spawnSync(p, ['-c', 'import caldav']).status === 0)

let peer: RunningTidepool | undefined

before(async () => {
  if (python === undefined) return
  peer = await startInProcess()
  await callApi(peer, '/api/calendars', { name: 'Team' })
})
after(async () => { await peer?.stop() })

async function client (running: RunningTidepool, ...mode: string[]): Promise<string> {
  // Asynchronously: the client talks to a peer in this very process.
  const run = await promisify(execFile)(python as string, [SCRIPT, `${running.api.url}/dav/`, running.token, ...mode], { encoding: 'utf8', timeout: 60_000 })
    .catch((err: Error & { stdout?: string, stderr?: string }) => { assert.fail(`${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`) })
  return run.stdout
}
const SKIP = 'skipped: python3 with the caldav library is missing (apt-get install python3-caldav)'

test('python3-caldav: discovery, MKCALENDAR, put, time-range search, modify, delete, sync tokens', async t => {
  if (python === undefined || peer === undefined) { t.skip(SKIP); return }
  assert.match(await client(peer), /^ok$/m)
})

test('python3-caldav: a weekly series, one occurrence moved, one cancelled by EXDATE, read back expanded', async t => {
  if (python === undefined || peer === undefined) { t.skip(SKIP); return }
  assert.match(await client(peer, 'series'), /^ok$/m)
  // The client's edits became the series writes: a schedule, then "this occurrence" twice, then a cancel.
  const calendarId = (await callApi(peer, '/api/calendars')).body.find((c: { name: string }) => c.name === 'Team').id
  const kinds = (await callApi(peer, `/api/calendars/${calendarId}`)).body.writes.map((w: { op: { kind: string } }) => w.op.kind)
  assert.deepEqual(kinds.filter((k: string) => ['schedule', 'occurrence', 'series', 'cancel'].includes(k)), ['schedule', 'occurrence', 'occurrence', 'cancel'])
})
