// kill -9 in the middle of work: the data dir stays whole and the peer comes back as itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startPeerProcess, eventually } from '../support/peer-process.ts'

test('after kill -9 mid-traffic, the peer restarts with the same id, its known peers, and a working DHT', async () => {
  const a = await startPeerProcess({ network: 'test-crash' })
  const b = await startPeerProcess({ network: 'test-crash', args: ['--bootstrap', a.ready.addrs[0]!] })
  try {
    await eventually('b joined a', async () => (await b.api('/api/status')).body, s => s.dht.routingTableSize > 0)
    // Kill while provider records are being written to the datastore.
    const writes = Promise.allSettled(Array.from({ length: 20 }, async (_, i) => await b.api('/api/dht/provide', { body: { key: `crash-${i}` } })))
    await new Promise(resolve => setTimeout(resolve, 150))
    await b.kill()
    await writes

    const again = await startPeerProcess({ network: 'test-crash', dataDir: b.dataDir })
    try {
      assert.equal(again.ready.peerId, b.ready.peerId)
      const status = await eventually('reconnected without --bootstrap', async () => (await again.api('/api/status')).body,
        s => s.peers.some((p: any) => p.peerId === a.ready.peerId && p.connected))
      assert.equal(status.peerId, b.ready.peerId)
      const provided = await again.api('/api/dht/provide', { body: { key: 'after-crash' } })
      assert.equal(provided.status, 200)
      const found = await eventually('a finds the new record', async () => (await a.api('/api/dht/providers?key=after-crash')).body,
        body => body.providers?.some((p: any) => p.peerId === b.ready.peerId))
      assert.equal(found.cid, provided.body.cid)
    } finally {
      await again.stop()
    }
  } finally {
    await a.stop()
    await b.kill()
  }
})

test('a second peer on the same data dir is refused with a clear error, and the first keeps serving', async () => {
  const a = await startPeerProcess({ network: 'test-crash' })
  try {
    await assert.rejects(startPeerProcess({ network: 'test-crash', dataDir: a.dataDir }), /another Tidepool running on this data dir/)
    assert.equal((await a.api('/api/status')).status, 200)
  } finally {
    await a.stop()
  }
})
