// The `tidepool` command as a user runs it: its exit codes and its one line on stdout.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { TIDEPOOL_BIN, makeDataDir } from '../support/peer-process.ts'
import { ownChild } from '../support/cleanup.ts'

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
