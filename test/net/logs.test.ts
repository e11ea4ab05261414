// tidepool.log stays clean and small: no API token or wallet secret in it after a start, an Electron-style
// start (main/core-process.ts forking the real core, as the app does) and failure paths; the token still
// reaches the user on the terminal; `--new-token` rotates it; the file rotates by size.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { eventually, makeDataDir, startPeerProcess, ROOT, TIDEPOOL_BIN } from '../support/peer-process.ts'
import { spawn } from 'node:child_process'
import { createLogger, LOG_FILE } from '../../p2p/logger.ts'
import { createCoreProcess } from '../../main/core-process.ts'
import { nodeFork } from '../support/node-fork.ts'
import { openLogFile } from '../../main/log-file.ts'

async function logsOf (dir: string): Promise<string> {
  const names = (await readdir(dir)).filter(n => n.startsWith(LOG_FILE) || n.endsWith('.log'))
  return (await Promise.all(names.map(async n => await readFile(join(dir, n), 'utf8')))).join('\n')
}

function assertClean (text: string, secrets: Array<[string, string]>): void {
  for (const [what, secret] of secrets) assert.ok(!text.includes(secret), `the log holds the ${what}`)
}

test('a headless start, API failures and a wallet passphrase leave no token or wallet secret in the log; the terminal gets the UI URL', { timeout: 90_000 }, async () => {
  const peer = await startPeerProcess({ network: 'test-logs', args: ['--chain', 'test'] })
  try {
    assert.ok(peer.stderr().includes(`/#token=${peer.token}`), 'the UI URL with the token is printed to the terminal')
    const wallet = JSON.parse(await readFile(join(peer.dataDir, 'ledger-wallet.json'), 'utf8')) as { secret: { plain: string } }
    const walletSecret = wallet.secret.plain
    const passphrase = 'correct horse battery staple 7'
    // Failure paths: a wrong token, a malformed path, a bad body, a wrong passphrase.
    assert.equal((await peer.api('/api/status', { headers: { authorization: 'Bearer ' + 'y'.repeat(43) } })).status, 401)
    assert.equal((await peer.api('/api/calendars/%')).status, 400)
    assert.equal((await peer.api('/api/wallet/send', { body: { to: 'x', amount: 1, fee: 1 } })).status, 400)
    assert.equal((await peer.api('/api/wallet/passphrase', { body: { passphrase } })).status, 200)
    assert.equal((await peer.api('/api/wallet/lock', { method: 'POST' })).status, 200)
    assert.notEqual((await peer.api('/api/wallet/unlock', { body: { passphrase: passphrase + 'x' } })).status, 200)
    assert.equal((await peer.api('/api/wallet/unlock', { body: { passphrase } })).status, 200)
    await peer.stop()
    const log = await logsOf(peer.dataDir)
    assert.match(log, /peer 12D3KooW/, 'the log is written')
    assertClean(log, [['API token', peer.token], ['wallet secret key', walletSecret], ['wallet passphrase', passphrase]])
  } finally {
    await peer.stop()
  }
})

test('a failed start logs why, and no token', { timeout: 60_000 }, async () => {
  const first = await startPeerProcess({ network: 'test-logs' })
  try {
    // The same API port again: this start fails after the token was loaded.
    const port = new URL(first.ready.api).port
    const dataDir = await makeDataDir('logs-fail')
    const child = spawn(process.execPath, [TIDEPOOL_BIN, '--headless', '--no-mdns', '--network', 'test-logs', '--listen', '/ip4/127.0.0.1/tcp/0', '--api-port', port, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', chunk => { stderr += String(chunk) })
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
    assert.equal(code, 1, stderr)
    const token = (await readFile(join(dataDir, 'api-token'), 'utf8')).trim()
    const log = await logsOf(dataDir)
    assert.match(log, /could not start/)
    assertClean(log + stderr, [['API token', token]])
  } finally {
    await first.stop()
  }
})

test('--new-token replaces the token: the old one gets 401, the new one is printed on the terminal', { timeout: 90_000 }, async () => {
  const dataDir = await makeDataDir('logs-rotate')
  const first = await startPeerProcess({ network: 'test-logs', dataDir })
  const old = first.token
  await first.stop()
  const again = await startPeerProcess({ network: 'test-logs', dataDir })
  assert.equal(again.token, old, 'a plain restart keeps the token')
  await again.stop()
  const rotated = await startPeerProcess({ network: 'test-logs', dataDir, args: ['--new-token'] })
  try {
    assert.notEqual(rotated.token, old)
    // The ready line (stdout) can come before the UI address (stderr) has been read: wait for it.
    await eventually('the new token printed on the terminal', async () => rotated.stderr(), s => s.includes(`/#token=${rotated.token}`), 20_000)
    assert.equal((await rotated.api('/api/status')).status, 200)
    assert.equal((await rotated.api('/api/status', { headers: { authorization: `Bearer ${old}` } })).status, 401)
  } finally {
    await rotated.stop()
  }
  assertClean(await logsOf(dataDir), [['old token', old], ['new token', rotated.token]])
})

test('the Electron start path (main/core-process forking the real core) keeps the token out of both logs', { timeout: 90_000 }, async () => {
  const dataDir = await makeDataDir('logs-electron')
  const lines: string[] = []
  const desktopLog = openLogFile(dataDir, 'desktop.log', () => {})
  const core = createCoreProcess({
    fork: nodeFork,
    readFile: async file => await readFile(file, 'utf8'),
    killHard: pid => { process.kill(pid, 'SIGKILL') },
    log: line => { lines.push(line); desktopLog.write(line) },
    env: { ...process.env }
  }, { modulePath: join(ROOT, 'p2p', 'cli.ts'), dataDir, coreFlags: ['--no-mdns', '--network', 'test-logs', '--listen', '/ip4/127.0.0.1/tcp/0'] })
  const running = await core.start()
  // Stopping at once could beat the core's UI-address line (stderr) to the log: wait until main has it.
  await eventually('the UI address reached main', async () => lines.some(l => l.includes('#token=')), found => found, 20_000)
  await core.stop()
  await desktopLog.close()
  const logs = await logsOf(dataDir)
  assert.match(logs, /#token=<redacted>/, 'the UI URL reached the desktop log, redacted')
  assertClean(logs, [['API token', running.token]])
})

test('tidepool.log rotates by size and keeps a bounded number of files', async () => {
  const dir = await makeDataDir('logs-size')
  const logger = createLogger(dir, { stderr: false, maxBytes: 10_000, keepFiles: 2 })
  for (let i = 0; i < 2_000; i++) logger.info(`line ${i} ${'x'.repeat(50)} #token=abcdefghijklmnopqrstu`)
  await logger.close()
  const names = (await readdir(dir)).sort()
  assert.deepEqual(names, [LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`])
  for (const name of names) assert.ok((await stat(join(dir, name))).size <= 10_000, `${name} over its cap`)
  const text = await logsOf(dir)
  assert.match(text, /line 1999 /, 'the newest lines are kept')
  assert.ok(!text.includes('abcdefghijklmnopqrstu'))
})
