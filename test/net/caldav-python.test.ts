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

test('python3-caldav: discovery, MKCALENDAR, put, time-range search, modify, delete, sync tokens', async t => {
  if (python === undefined || peer === undefined) { t.skip('skipped: python3 with the caldav library is missing (apt-get install python3-caldav)'); return }
  // Asynchronously: the client talks to a peer in this very process.
  const run = await promisify(execFile)(python, [SCRIPT, `${peer.api.url}/dav/`, peer.token], { encoding: 'utf8', timeout: 60_000 })
    .catch((err: Error & { stdout?: string, stderr?: string }) => { assert.fail(`${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`) })
  assert.match(run.stdout, /^ok$/m)
})
