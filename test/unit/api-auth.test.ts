import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { WebSocket } from 'ws'
import { startInProcess, rawRequest } from '../support/in-process.ts'
import type { RunningTidepool } from '../../p2p/cli.ts'

let running: RunningTidepool
let base: string
let port: number

before(async () => {
  running = await startInProcess()
  base = running.api.url
  port = running.api.port
})
after(async () => { await running.stop() })

const auth = (): Record<string, string> => ({ authorization: `Bearer ${running.token}` })

test('the API listens on 127.0.0.1 only', () => {
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/)
})

test('no token → 401; a wrong token → 401; the right one → 200 with the status', async () => {
  const none = await rawRequest(`${base}/api/status`)
  assert.equal(none.status, 401)
  assert.equal(JSON.parse(none.body).error.code, 'unauthorized')
  const wrong = await rawRequest(`${base}/api/status`, { headers: { authorization: 'Bearer ' + 'x'.repeat(43) } })
  assert.equal(wrong.status, 401)
  const ok = await rawRequest(`${base}/api/status`, { headers: auth() })
  assert.equal(ok.status, 200)
  const status = JSON.parse(ok.body)
  assert.equal(status.peerId, running.ready.peerId)
  assert.equal(status.network, 'test-inproc')
  assert.equal(status.online, true)
  assert.deepEqual(status.peers, [])
  assert.equal(status.dht.mode, 'server')
  assert.equal(status.dht.protocol, '/tidepool/test-inproc/kad/1.0.0')
})

test('a foreign Host (DNS rebinding) → 403 even with the token', async () => {
  const res = await rawRequest(`${base}/api/status`, { headers: { ...auth(), host: `evil.example:${port}` } })
  assert.equal(res.status, 403)
  assert.equal(JSON.parse(res.body).error.code, 'bad-host')
  const ui = await rawRequest(`${base}/`, { headers: { host: 'evil.example' } })
  assert.equal(ui.status, 403)
})

test('a foreign Origin (a web page elsewhere) → 403 even with the token; our own origin passes', async () => {
  const res = await rawRequest(`${base}/api/status`, { headers: { ...auth(), origin: 'https://evil.example' } })
  assert.equal(res.status, 403)
  assert.equal(JSON.parse(res.body).error.code, 'bad-origin')
  const own = await rawRequest(`${base}/api/status`, { headers: { ...auth(), origin: `http://localhost:${port}` } })
  assert.equal(own.status, 200)
})

test('bodies are validated: not JSON, wrong shape, wrong type, too large', async () => {
  const post = async (body: string, type = 'application/json'): Promise<{ status: number, code: string, message: string }> => {
    const res = await rawRequest(`${base}/api/network`, { method: 'POST', headers: { ...auth(), 'content-type': type }, body })
    const parsed = JSON.parse(res.body)
    return { status: res.status, code: parsed.error?.code, message: parsed.error?.message }
  }
  assert.deepEqual((await post('{nope')).code, 'bad-request')
  const wrongShape = await post('{"online":"yes"}')
  assert.equal(wrongShape.status, 400)
  assert.match(wrongShape.message, /online/)
  assert.equal((await post('{"online":true,"extra":1}')).status, 400)
  assert.equal((await post('online=true', 'application/x-www-form-urlencoded')).status, 415)
  assert.equal((await post(JSON.stringify({ online: true, pad: 'x'.repeat(70_000) }))).status, 413)
})

test('dial errors name what was wrong with the address', async () => {
  const dial = async (addr: unknown): Promise<{ status: number, code: string }> => {
    const res = await rawRequest(`${base}/api/peers/dial`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ addr }) })
    return { status: res.status, code: JSON.parse(res.body).error?.code }
  }
  assert.deepEqual(await dial('not an address'), { status: 400, code: 'invalid-multiaddr' })
  assert.deepEqual(await dial('/ip4/127.0.0.1/tcp/1'), { status: 400, code: 'missing-peer-id' })
  assert.deepEqual(await dial(running.ready.addrs[0]), { status: 400, code: 'self-dial' })
  assert.deepEqual(await dial(42), { status: 400, code: 'bad-request' })
})

test('unknown routes and methods get JSON errors', async () => {
  assert.equal((await rawRequest(`${base}/api/nothing`, { headers: auth() })).status, 404)
  assert.equal((await rawRequest(`${base}/api/status`, { method: 'DELETE', headers: auth() })).status, 405)
})

test('the UI is served with a strict CSP', async () => {
  const res = await rawRequest(`${base}/`)
  assert.match(String(res.headers['content-security-policy']), /default-src 'self'.*script-src 'self'/)
})

test('the event stream needs the token and the right Origin, then delivers events', async () => {
  const url = `ws://127.0.0.1:${port}/api/events`
  const refused = async (protocols: string[], headers: Record<string, string> = {}): Promise<number> => await new Promise(resolve => {
    const ws = new WebSocket(url, protocols, { headers })
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0) })
    ws.on('open', () => { ws.close(); resolve(101) })
    ws.on('error', () => {})
  })
  assert.equal(await refused(['tidepool.v1']), 401)
  assert.equal(await refused(['tidepool.v1', 'tidepool.bearer.wrong']), 401)
  assert.equal(await refused(['tidepool.v1', `tidepool.bearer.${running.token}`], { origin: 'https://evil.example' }), 403)

  const ws = new WebSocket(url, ['tidepool.v1', `tidepool.bearer.${running.token}`], { headers: { origin: `http://127.0.0.1:${port}` } })
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  assert.equal(ws.protocol, 'tidepool.v1')
  const received = new Promise<unknown>(resolve => ws.once('message', data => { resolve(JSON.parse(String(data))) }))
  await rawRequest(`${base}/api/network`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"online":false}' })
  assert.deepEqual(await received, { type: 'network', online: false })
  await rawRequest(`${base}/api/network`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"online":true}' })
  ws.close()
})
