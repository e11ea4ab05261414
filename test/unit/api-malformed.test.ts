// Every route, fed malformed input: bad percent-encoding, junk ids, junk bodies and content types. Each
// answer is a coded 4xx (or a route's own network error), never a 500: every error a route's code can
// throw is in its error table.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startInProcess, rawRequest } from '../support/in-process.ts'
import { apiRoutes, type RunningTidepool } from '../../p2p/cli.ts'
import { MAX_LOOP_BLOCK_MS, watchLoopDelay } from '../support/loop-delay.ts'

let running: RunningTidepool
before(async () => { running = await startInProcess() })
after(async () => { await running.stop() })

const PARAMS = ['%', '%E0%A4%A', '%zz', 'x', '..', '%00', 'a'.repeat(600), 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', '0'.repeat(64)]
const BODIES: Array<{ type?: string, body?: string }> = [
  {},
  { type: 'application/json', body: '' },
  { type: 'application/json', body: '{' },
  { type: 'application/json', body: 'null' },
  { type: 'application/json', body: '[]' },
  { type: 'application/json', body: '{}' },
  { type: 'application/json', body: '"text"' },
  { type: 'application/json', body: '{"__proto__":{"x":1},"constructor":{}}' },
  { type: 'application/json', body: '{"key":"%","id":"%","cid":"%","link":"%","dest":"relative","invite":"%","tx":"zz","to":"","amount":-1,"fee":1e400}' },
  { type: 'application/json', body: '[['.repeat(5000) },
  { type: 'text/plain', body: 'hello' },
  { type: 'application/octet-stream', body: '\u0000\u00ff' }
]
const QUERIES = ['', '?key=%', '?name=%2F', '?name=' + 'n'.repeat(300), '?key=' + 'k'.repeat(600)]

test('the paths the probe found: malformed percent-encoding is a 400, not a 500', async () => {
  for (const path of ['/api/files/%E0%A4%A', '/api/calendars/%', '/%E0%A4%A']) {
    const res = await rawRequest(running.api.url + path, { headers: { authorization: `Bearer ${running.token}` } })
    assert.equal(res.status, 400, `${path}: ${res.body}`)
    assert.equal(JSON.parse(res.body).error.code, 'bad-request')
  }
})

test('the Authorization scheme is matched case-insensitively (RFC 7235)', async () => {
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    const res = await rawRequest(running.api.url + '/api/status', { headers: { authorization: `${scheme} ${running.token}` } })
    assert.equal(res.status, 200, scheme)
  }
})

test('every route answers every malformed input with a coded 4xx, never a 500', { timeout: 240_000 }, async () => {
  const routes = apiRoutes(running.peer)
  assert.ok(routes.length >= 30, `only ${routes.length} routes`)
  const failures: string[] = []
  let sent = 0
  const loop = watchLoopDelay()
  for (const route of routes) {
    // The attack simulator's work is bounded by its schema; only its malformed inputs matter here.
    const paths = route.path.includes(':') ? PARAMS.map(p => route.path.replace(/:[a-z]+/g, p)) : [route.path]
    for (const path of paths) {
      for (const query of route.method === 'GET' || route.path === '/api/files' ? QUERIES : ['']) {
        for (const { type, body } of route.method === 'GET' ? [{}] : BODIES) {
          const headers: Record<string, string> = { authorization: `Bearer ${running.token}` }
          if (type !== undefined) headers['content-type'] = type
          const res = await rawRequest(running.api.url + path + query, { method: route.method, headers, body })
            .catch((err: Error) => ({ status: 0, body: `no answer: ${err.message}` }))
          sent++
          const what = `${route.method} ${path.slice(0, 80)}${query.slice(0, 20)} ${type ?? ''} ${(body ?? '').slice(0, 30)} → ${res.status} ${res.body.slice(0, 160)}`
          if ((res.status >= 500 || res.status === 0) && ![502, 504].includes(res.status)) failures.push(what)
          else if (res.status >= 400 && !/"code":"[a-z-]+"/.test(res.body)) failures.push('no error code: ' + what)
        }
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${sent} answers`)
  // No request, however malformed, blocks the peer's event loop for long.
  const { blockMs } = loop.stop()
  assert.ok(blockMs < MAX_LOOP_BLOCK_MS, `the event loop was blocked ${blockMs.toFixed(0)} ms over ${sent} requests`)
})
