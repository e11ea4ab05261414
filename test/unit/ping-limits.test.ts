// libp2p's connection monitor and our LatencyMonitor ping one connection on the same protocol; with
// ping's default limit of one outbound stream the second ping failed, and the monitor then aborted the
// connection with every transfer on it. With PING_STREAM_LIMITS, concurrent pings all succeed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { ping } from '@libp2p/ping'
import { PING_STREAM_LIMITS } from '../../p2p/node/create-node.ts'

async function peer (limits?: typeof PING_STREAM_LIMITS) {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { ping: ping(limits) }
  })
}

test('three pings at once on one connection: refused with the defaults, all answered with our limits', async () => {
  const [a, b, c, d] = await Promise.all([peer(), peer(), peer(PING_STREAM_LIMITS), peer(PING_STREAM_LIMITS)])
  try {
    const concurrent = async (from: typeof a, to: typeof a) => await Promise.allSettled([0, 1, 2].map(async () => await from.services.ping.ping(to.getMultiaddrs()[0]!)))
    const defaults = await concurrent(a, b)
    assert.ok(defaults.some(r => r.status === 'rejected' && /Too many outbound protocol streams/.test(String(r.reason))), 'the defaults refuse a second ping')
    const ours = await concurrent(c, d)
    assert.deepEqual(ours.map(r => r.status), ['fulfilled', 'fulfilled', 'fulfilled'], JSON.stringify(ours))
  } finally {
    await Promise.all([a, b, c, d].map(async n => { await n.stop() }))
  }
})
