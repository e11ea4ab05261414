// Files and calendar over Chord: a file added on one peer of a `--dht chord` network is found through
// Chord and downloaded, verified, by another; a calendar is joined and synced — both capabilities
// unchanged. Three in-process peers on 127.0.0.1.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { startInProcess } from '../support/in-process.ts'
import { eventually } from '../support/peer-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

const NETWORK = 'test-chord-files'
const peers: RunningTidepool[] = []

async function api (peer: RunningTidepool, path: string, init: { method?: string, body?: BodyInit, json?: unknown } = {}): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${peer.token}` }
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  else if (init.body !== undefined) headers['content-type'] = 'application/octet-stream'
  const res = await fetch(`${peer.api.url}${path}`, { method: init.method ?? (init.body !== undefined || init.json !== undefined ? 'POST' : 'GET'), headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body })
  const type = res.headers.get('content-type') ?? ''
  return { status: res.status, body: type.includes('json') ? await res.json() : new Uint8Array(await res.arrayBuffer()) }
}

before(async () => {
  const first = await startInProcess(['--network', NETWORK, '--dht', 'chord'])
  peers.push(first)
  peers.push(...await Promise.all([1, 2].map(async () => await startInProcess(['--network', NETWORK, '--dht', 'chord', '--bootstrap', first.ready.addrs[0]!]))))
  for (const p of peers) await eventually('on the ring', async () => p.peer.dht.summary().ring?.successors.length ?? 0, n => n >= 2, 30_000)
})
after(async () => { await Promise.all(peers.map(async p => await p.stop())) })

test('a file shared on a Chord network is found and downloaded by another peer', async () => {
  const bytes = randomBytes(600 * 1024)
  const added = await api(peers[1]!, '/api/files?name=chord.bin', { body: new Uint8Array(bytes) })
  assert.equal(added.status, 200, JSON.stringify(added.body))
  const started = await api(peers[2]!, '/api/files/download', { json: { link: added.body.link } })
  assert.equal(started.status, 200, JSON.stringify(started.body))
  await eventually('download complete', async () => (await api(peers[2]!, `/api/files/${added.body.cid}`)).body, e => e.state === 'complete', 60_000)
  const content = await api(peers[2]!, `/api/files/${added.body.cid}/content`)
  assert.equal(content.status, 200)
  assert.ok(Buffer.from(content.body).equals(bytes))
})

test('a calendar is joined and synced between peers of a Chord network', async () => {
  const created = await api(peers[0]!, '/api/calendars', { json: { name: 'over chord' } })
  assert.equal(created.status, 200, JSON.stringify(created.body))
  const joined = await api(peers[1]!, '/api/calendars/join', { json: { invite: created.body.invite } })
  assert.equal(joined.status, 200, JSON.stringify(joined.body))
  const start = new Date(Date.UTC(2030, 0, 7, 9)).toISOString()
  const write = await api(peers[1]!, `/api/calendars/${created.body.id}/writes`, { json: { op: 'reserve', title: 'ring meeting', durationMinutes: 30, alternatives: [start] } })
  assert.equal(write.status, 200, JSON.stringify(write.body))
  const synced = await api(peers[1]!, `/api/calendars/${created.body.id}/sync`, { json: {} })
  assert.equal(synced.status, 200, JSON.stringify(synced.body))
  await eventually('the primary has the event', async () => (await api(peers[0]!, `/api/calendars/${created.body.id}`)).body.events,
    (events: any[]) => events.some(e => e.title === 'ring meeting'), 30_000)
})
