// libp2p 3.3.11's middleware bug, and our copy per stream (p2p/node/middleware-copies.ts): with a
// middleware on a protocol, each inbound stream must reach the protocol's handler exactly once, and an
// outbound stream never. Two plain libp2p nodes over TCP + Noise + Yamux on 127.0.0.1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { copyMiddlewarePerStream } from '../../p2p/node/middleware-copies.ts'

const PROTOCOL = '/tidepool-test/middleware/1'

async function node (): Promise<Libp2p> {
  return await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
}

async function handlerRuns (copy: boolean): Promise<{ inbound: number[], outboundOnServer: number }> {
  const [server, client] = [await node(), await node()]
  try {
    if (copy) { copyMiddlewarePerStream(server); copyMiddlewarePerStream(client) }
    const runs: number[] = []
    let served = 0
    await server.handle(PROTOCOL, stream => { runs[served] = (runs[served] ?? 0) + 1; void stream.close() })
    server.use(PROTOCOL, (stream, connection, next) => { next(stream, connection) })
    const before = () => runs.reduce((a, b) => a + b, 0)
    const inbound: number[] = []
    for (let i = 0; i < 3; i++) {
      const total = before()
      const stream = await client.dialProtocol(server.getMultiaddrs()[0]!, PROTOCOL)
      await stream.close()
      // Each inbound stream is served (at least once) before the next one opens.
      while (before() === total) await new Promise(resolve => setTimeout(resolve, 20))
      await new Promise(resolve => setTimeout(resolve, 100))
      inbound.push(before() - total)
      served++
    }
    // A stream the server opens to the client, on the same protocol: never the server's own handler.
    await client.handle(PROTOCOL, stream => { void stream.close() })
    const total = before()
    const out = await server.dialProtocol(client.peerId, PROTOCOL).catch(() => undefined)
    await out?.close()
    await new Promise(resolve => setTimeout(resolve, 200))
    return { inbound, outboundOnServer: before() - total }
  } finally {
    await Promise.all([server.stop(), client.stop()])
  }
}

test('with a middleware on a protocol, each inbound stream runs its handler once and an outbound one never', async () => {
  assert.deepEqual(await handlerRuns(true), { inbound: [1, 1, 1], outboundOnServer: 0 })
})

test('libp2p as it ships still runs the handler again for later streams (drop the copy when this fails)', async () => {
  const { inbound } = await handlerRuns(false)
  assert.ok(inbound.some(n => n > 1), `handler runs per inbound stream: ${inbound.join(', ')}`)
})
