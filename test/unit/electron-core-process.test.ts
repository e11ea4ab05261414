// main/core-process.ts driven for real, with Node's child_process.fork standing in for Electron's
// utilityProcess.fork and a small fake core that follows (or breaks) the core's contract: one JSON
// ready line on stdout, the token in <data-dir>/api-token, a clean exit on SIGTERM.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CoreStartError, createCoreProcess, type CoreExit } from '../../main/core-process.ts'
import { nodeFork } from '../support/node-fork.ts'

const TOKEN = 'PEN81ZfxXLi1TNcN6zDNp8G6Z9Y7RaQkWtIhVAfFGTs'

// The fake core: its behaviour is picked with `--network <mode>` (a flag main passes through).
const FAKE_CORE = `
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
const args = process.argv.slice(2)
const flag = name => args[args.indexOf(name) + 1]
const dataDir = flag('--data-dir')
const mode = flag('--network')
const ready = () => {
  writeFileSync(join(dataDir, 'api-token'), ${JSON.stringify(TOKEN)} + '\\n', { mode: 0o600 })
  process.stdout.write('warming up\\n')
  // the ready line in two writes, to cross a chunk border
  const line = JSON.stringify({ event: 'ready', peerId: '12D3KooWfake', addrs: [], api: 'http://127.0.0.1:45678', network: mode })
  process.stdout.write(line.slice(0, 20))
  setTimeout(() => process.stdout.write(line.slice(20) + '\\n'), 20)
}
process.stderr.write('UI: http://127.0.0.1:45678/#token=' + ${JSON.stringify(TOKEN)} + '\\n')
process.stderr.write('fake core: ' + JSON.stringify({ args, nodeOptions: process.env.NODE_OPTIONS ?? null, runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null, keep: process.env.TIDEPOOL_TEST_KEEP ?? null }) + '\\n')
const keepAlive = setInterval(() => {}, 1000)
if (mode === 'ok') {
  ready()
  process.on('SIGTERM', () => { process.stderr.write('fake core: SIGTERM, bye\\n'); clearInterval(keepAlive); process.exitCode = 0 })
} else if (mode === 'stubborn') {
  ready()
  process.on('SIGTERM', () => { process.stderr.write('fake core: ignoring SIGTERM\\n') })
} else if (mode === 'usage') {
  process.stderr.write('tidepool: --network: "usage" is wrong\\n')
  process.exit(2)
} else if (mode === 'silent') {
  // never ready
} else if (mode === 'bad-ready') {
  process.stdout.write(JSON.stringify({ event: 'ready', peerId: 'x', addrs: [], api: 'http://0.0.0.0:1', network: 'n' }) + '\\n')
} else if (mode === 'crash') {
  ready()
  setTimeout(() => { process.stderr.write('fake core: boom\\n'); process.exit(3) }, 300)
}
`

let dir: string
let script: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidepool-core-process-'))
  script = join(dir, 'fake-core.mjs')
  await writeFile(script, FAKE_CORE)
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

function core (mode: string, extra: { readyTimeoutMs?: number, stopTimeoutMs?: number } = {}) {
  const logs: string[] = []
  const killed: number[] = []
  const proc = createCoreProcess({
    fork: nodeFork,
    readFile: file => readFile(file, 'utf8'),
    killHard: pid => { killed.push(pid); process.kill(pid, 'SIGKILL') },
    log: line => { logs.push(line) },
    env: { ...process.env, NODE_OPTIONS: '--require /nonexistent/evil.cjs', ELECTRON_RUN_AS_NODE: '1', TIDEPOOL_TEST_KEEP: 'yes' }
  }, { modulePath: script, dataDir: dir, coreFlags: ['--network', mode], readyTimeoutMs: 5_000, stopTimeoutMs: 2_000, ...extra })
  return { proc, logs, killed }
}

test('start: the ready line and the token give the UI URL; stop: SIGTERM, clean exit', async () => {
  const { proc, logs } = core('ok')
  const running = await proc.start()
  assert.equal(proc.state, 'running')
  assert.equal(running.ready.peerId, '12D3KooWfake')
  assert.equal(running.ready.apiOrigin, 'http://127.0.0.1:45678')
  assert.equal(running.token, TOKEN)
  assert.equal(running.url, `http://127.0.0.1:45678/#token=${TOKEN}`)
  assert.ok(logs.includes('[core stdout] warming up'), 'other stdout lines are logged')
  assert.ok(logs.includes('[core] UI: http://127.0.0.1:45678/#token=<redacted>'), 'the token is redacted from the log')
  assert.ok(logs.every(l => !l.includes(TOKEN)), 'the token never reaches the log')

  const fakeSaid = logs.find(l => l.startsWith('[core] fake core: {'))
  assert.ok(fakeSaid !== undefined, 'stderr is forwarded to the log')
  const seen = JSON.parse(fakeSaid.slice('[core] fake core: '.length)) as { args: string[], nodeOptions: unknown, runAsNode: unknown, keep: unknown }
  assert.deepEqual(seen.args, ['--headless', '--data-dir', dir, '--api-port', '0', '--network', 'ok'])
  assert.equal(seen.nodeOptions, null, 'NODE_OPTIONS stripped')
  assert.equal(seen.runAsNode, null, 'ELECTRON_RUN_AS_NODE stripped')
  assert.equal(seen.keep, 'yes', 'other variables kept')

  let unexpected = 0
  proc.onUnexpectedExit(() => { unexpected++ })
  await proc.stop()
  assert.equal(proc.state, 'exited')
  assert.equal(unexpected, 0, 'a requested stop is not a crash')
  assert.ok(proc.stderrTail().includes('fake core: SIGTERM, bye'))
})

test('stop: a core that ignores SIGTERM is killed after the timeout', async () => {
  const { proc, killed, logs } = core('stubborn', { stopTimeoutMs: 300 })
  await proc.start()
  const t0 = Date.now()
  await proc.stop()
  assert.equal(killed.length, 1)
  assert.ok(Date.now() - t0 >= 300)
  assert.ok(logs.some(l => l.includes('did not exit within 300 ms')))
  assert.equal(proc.state, 'exited')
})

test('start fails clearly when the core exits first, with its last words', async () => {
  const { proc } = core('usage')
  await assert.rejects(proc.start(), (err: unknown) => {
    assert.ok(err instanceof CoreStartError)
    assert.equal(err.name, 'CoreStartError')
    assert.equal(err.code, 'exited')
    assert.match(err.message, /code 2/)
    assert.ok(err.stderrTail.some(l => l.includes('"usage" is wrong')), err.stderrTail.join('\n'))
    return true
  })
  assert.equal(proc.state, 'exited')
})

test('start times out when no ready line comes, and the core is stopped', async () => {
  const { proc } = core('silent', { readyTimeoutMs: 400 })
  await assert.rejects(proc.start(), (err: unknown) => err instanceof CoreStartError && err.code === 'timeout')
  assert.equal(proc.state, 'exited')
})

test('a malformed ready line is a start failure', async () => {
  const { proc } = core('bad-ready')
  await assert.rejects(proc.start(), (err: unknown) => err instanceof CoreStartError && err.code === 'bad-ready-line')
  assert.equal(proc.state, 'exited')
})

test('a crash after ready is reported once, and the core can be started again', async () => {
  const { proc } = core('crash')
  await proc.start()
  let reports = 0
  proc.onUnexpectedExit(() => { reports++ })
  const exit = await new Promise<CoreExit>(resolve => { proc.onUnexpectedExit(resolve) })
  await new Promise(resolve => setTimeout(resolve, 100))
  assert.equal(reports, 1)
  assert.equal(exit.code, 3)
  assert.ok(exit.stderrTail.includes('fake core: boom'))
  assert.equal(proc.state, 'exited')
  const again = await proc.start()
  assert.equal(again.token, TOKEN)
  await proc.stop()
})

test('start refuses to run a second core at once', async () => {
  const { proc } = core('ok')
  await proc.start()
  await assert.rejects(proc.start(), /already running/)
  await proc.stop()
})
