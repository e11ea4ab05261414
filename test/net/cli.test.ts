// The `tidepool` command as a user runs it: its exit codes and its one line on stdout.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ROOT, TIDEPOOL_BIN, eventually, makeDataDir } from '../support/peer-process.ts'
import { ownChild } from '../support/cleanup.ts'

const CLI_MODULE = join(ROOT, 'p2p', 'cli.ts')

function runTidepool (args: string[], untilReady = false): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return new Promise(resolve => {
    const child = ownChild(spawn(process.execPath, [TIDEPOOL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }))
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => {
      stdout += String(chunk)
      if (untilReady && stdout.includes('\n')) setTimeout(() => child.kill('SIGINT'), 500)
    })
    child.stderr.on('data', chunk => { stderr += String(chunk) })
    child.on('exit', code => { resolve({ code, stdout, stderr }) })
  })
}

test('bad flags print the usage and exit with code 2, without starting anything', async () => {
  const dir = await makeDataDir('cli')
  for (const args of [['--bogus'], ['--api-port', 'x'], ['--listen', 'nope'], ['stray']]) {
    const { code, stdout, stderr } = await runTidepool(['--headless', '--data-dir', dir, ...args])
    assert.equal(code, 2, args.join(' '))
    assert.equal(stdout, '')
    assert.match(stderr, /usage: tidepool/)
  }
})

test('a peer prints exactly one JSON line on stdout and shuts down cleanly on SIGINT', async () => {
  const dir = await makeDataDir('cli')
  const { code, stdout, stderr } = await runTidepool(['--headless', '--no-mdns', '--network', 'test-cli', '--data-dir', dir, '--api-port', '0'], true)
  assert.equal(code, 0, stderr)
  const lines = stdout.split('\n').filter(line => line !== '')
  assert.equal(lines.length, 1)
  const ready = JSON.parse(lines[0]!)
  assert.deepEqual(Object.keys(ready).sort(), ['addrs', 'api', 'event', 'network', 'peerId'])
  assert.equal(ready.event, 'ready')
  assert.equal(ready.network, 'test-cli')
  assert.match(stderr, /SIGINT: shutting down/)
})

test('a core forked by a parent that is killed with SIGKILL shuts itself down instead of living on as an orphan', async () => {
  const dir = await makeDataDir('cli')
  // The parent plays Electron main: it forks the core (an IPC channel, as utilityProcess gives one),
  // reports the core's pid once the core is ready, then waits to be killed.
  const parentScript = `
    const { fork } = require('node:child_process')
    const core = fork(${JSON.stringify(CLI_MODULE)}, ['--headless', '--no-mdns', '--network', 'test-cli', '--data-dir', ${JSON.stringify(dir)}, '--api-port', '0'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    core.stdout.once('data', () => { process.stdout.write(core.pid + '\\n') })
  `
  const parent = ownChild(spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'ignore'] }))
  const corePid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once('data', chunk => { resolve(Number(String(chunk).trim())) })
    parent.once('exit', code => { reject(new Error(`the parent exited (${code}) before its core was ready`)) })
  })
  const alive = (): boolean => { try { process.kill(corePid, 0); return true } catch { return false } }
  assert.ok(alive(), 'the core runs while its parent does')
  try {
    parent.kill('SIGKILL')
    await eventually('the orphaned core exits', async () => alive(), running => !running, 30_000)
    const log = await readFile(join(dir, 'tidepool.log'), 'utf8')
    assert.match(log, /parent process exited: shutting down/)
  } finally {
    if (alive()) process.kill(corePid, 'SIGKILL')
  }
})
