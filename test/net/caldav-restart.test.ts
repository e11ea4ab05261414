// Sync tokens across a restart (RFC 6578): a client's token from before the peer stopped still works
// after it starts again, and the incremental sync lists only what changed; a token the peer never
// gave is refused with valid-sync-token, and the client then syncs in full.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess, callApi } from '../support/in-process.ts'
import { makeTempDir } from '../support/cleanup.ts'
import { dav, hrefsIn, icsEvent, syncReport, tokenIn } from '../support/caldav.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

let peer: RunningTidepool
let dir: string
let calendar: string

before(async () => {
  dir = await makeTempDir('tidepool-caldav-restart-')
  peer = await startInProcess([], dir)
  calendar = `/dav/calendars/${(await callApi(peer, '/api/calendars', { name: 'Kept' })).body.id as string}/`
})
after(async () => { await peer.stop() })

test('a sync token survives a restart: afterwards only the changes are listed', async () => {
  for (const n of [1, 2, 3]) assert.equal((await dav(peer, 'PUT', `${calendar}e${n}.ics`, icsEvent(`e${n}@client`, `2034040${n}T090000Z`, `Event ${n}`))).status, 201)
  const full = await dav(peer, 'REPORT', calendar, syncReport(''))
  assert.equal(hrefsIn(full.body).present.length, 3)
  const token = tokenIn(full.body)
  // The collection's token, as clients poll it, is the same one.
  const polled = await dav(peer, 'PROPFIND', calendar, '<d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/></d:prop></d:propfind>', { depth: '0' })
  assert.equal(tokenIn(polled.body), token)

  await peer.stop()
  peer = await startInProcess([], dir)
  const unchanged = await dav(peer, 'REPORT', calendar, syncReport(token))
  assert.equal(unchanged.status, 207, unchanged.body)
  assert.deepEqual(hrefsIn(unchanged.body), { present: [], gone: [] })
  assert.equal(tokenIn(unchanged.body), token)

  assert.equal((await dav(peer, 'PUT', `${calendar}e4.ics`, icsEvent('e4@client', '20340404T090000Z', 'Event 4'))).status, 201)
  assert.equal((await dav(peer, 'DELETE', `${calendar}e2.ics`)).status, 204)
  const delta = await dav(peer, 'REPORT', calendar, syncReport(token))
  assert.deepEqual(hrefsIn(delta.body), { present: [`${calendar}e4.ics`], gone: [`${calendar}e2.ics`] })
  assert.notEqual(tokenIn(delta.body), token)

  const forged = await dav(peer, 'REPORT', calendar, syncReport(token.replace(/:\d+$/, ':999')))
  assert.equal(forged.status, 403)
  assert.match(forged.body, /valid-sync-token/)
  const other = await dav(peer, 'REPORT', calendar, syncReport('urn:tidepool:sync:000000000000:1'))
  assert.equal(other.status, 403)
})
