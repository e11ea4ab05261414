// A real peer whose data dir is on a small tmpfs that runs full: calendar writes are refused with a
// plain 507 "disk-full" while it is full, go on once there is room, and every acknowledged write is
// there after a restart (p2p/store/recovering-level.ts).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startInProcess, callApi } from '../support/in-process.ts'
import { mountTmpfs, TMPFS_SKIP, type Tmpfs } from '../support/tmpfs.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

let disk: Tmpfs | undefined
let peer: RunningTidepool | undefined
after(async () => {
  try { await peer?.stop() } finally { disk?.unmount() }
})

const reserve = (title: string, hour: number): unknown => ({ op: 'reserve', title, durationMinutes: 30, alternatives: [new Date(Date.UTC(2026, 11, 7, hour)).toISOString()], room: title })

test('a full disk refuses writes with 507 disk-full; once it has room, writes go on and survive a restart', { skip: TMPFS_SKIP, timeout: 120_000 }, async () => {
  disk = await mountTmpfs(64)
  const dataDir = join(disk.dir, 'peer')
  peer = await startInProcess(['--network', 'test-disk-full'], dataDir)
  const { body: { id } } = await callApi(peer, '/api/calendars', { name: 'full' })
  const acknowledged: string[] = []
  const write = async (title: string): Promise<{ status: number, body: any }> => {
    const res = await callApi(peer!, `/api/calendars/${id as string}/writes`, reserve(title, acknowledged.length % 24))
    if (res.status === 200) acknowledged.push(title)
    return res
  }
  for (let i = 0; i < 5; i++) assert.equal((await write(`before ${i}`)).status, 200)

  await disk.fill(2 * 1024) // not even room for one write's record whole
  let refused = 0
  for (let i = 0; i < 5; i++) {
    const res = await write(`while full ${i}`)
    if (res.status === 200) continue
    refused++
    assert.equal(res.status, 507, JSON.stringify(res.body))
    assert.equal(res.body.error.code, 'disk-full')
  }
  assert.ok(refused > 0, 'writes were refused while the disk was full')
  assert.equal((await callApi(peer, `/api/calendars/${id as string}`)).status, 200, 'reads go on')

  await disk.free()
  for (let i = 0; i < 20; i++) assert.equal((await write(`after ${i}`)).status, 200, `write ${i} once the disk had room`)
  await peer.stop()
  peer = await startInProcess(['--network', 'test-disk-full'], dataDir)
  const titles = new Set((await callApi(peer, `/api/calendars/${id as string}`)).body.events.map((e: { title: string }) => e.title))
  assert.deepEqual(acknowledged.filter(t => !titles.has(t)), [], 'every acknowledged write is there after the restart')
})
