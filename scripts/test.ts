// `npm test`: everything CI runs, in order — install what the tests need (Debian's Chromium, the NAT
// tests' iproute2, nftables and miniupnpd, and python3-dateutil for the recurrence cross-check), type-check,
// build, unit tests, network tests with real peers (on loopback two files at a time; test/net-serial/ one
// at a time: the files that build network namespaces and time NATs and relays, and two file-transfer
// files that failed beside another, test/net-serial/README.md), a 2-minute chaos campaign
// (test/chaos/), Playwright against a real browser — then one summary line "N passed, N failed, N skipped".
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { privateTmp } from './leftovers.ts'

const CHROMIUM = '/usr/bin/chromium'
const totals = { passed: 0, failed: 0, skipped: 0 }
const failedSteps: string[] = []

function run (label: string, command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number, output: string }> {
  process.stdout.write(`\n=== ${label}: ${command} ${args.join(' ')}\n`)
  return new Promise(resolve => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    let output = ''
    child.stdout.on('data', chunk => { output += String(chunk); process.stdout.write(chunk) })
    child.stderr.on('data', chunk => { output += String(chunk); process.stderr.write(chunk) })
    child.on('error', err => { output += err.message; resolve({ code: 127, output }) })
    child.on('exit', code => { resolve({ code: code ?? 1, output }) })
  })
}

async function step (label: string, command: string, args: string[]): Promise<boolean> {
  const { code } = await run(label, command, args)
  if (code !== 0) { failedSteps.push(label); totals.failed++ }
  return code === 0
}

function count (output: string, pattern: RegExp): number {
  return [...output.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0)
}

async function nodeTests (label: string, script: string): Promise<void> {
  const tmp = privateTmp(script)
  const { code, output } = await run(label, 'npm', ['run', '--silent', script], { TMPDIR: tmp.dir })
  const passed = count(output, /^ℹ pass (\d+)$/gm)
  const failed = count(output, /^ℹ fail (\d+)$/gm) + count(output, /^ℹ cancelled (\d+)$/gm)
  totals.passed += passed
  totals.failed += failed
  totals.skipped += count(output, /^ℹ skipped (\d+)$/gm)
  const leftovers = tmp.leftovers()
  if (leftovers.length > 0) process.stderr.write(`\n${label} left behind (killed and removed now):\n  ${leftovers.join('\n  ')}\n`)
  if (code !== 0 || passed === 0 || leftovers.length > 0) { failedSteps.push(label); if (failed === 0) totals.failed++ }
}

/** The chaos campaign, briefly and with a fixed seed: each of its checks counts as a test. */
async function chaos (): Promise<void> {
  const label = 'chaos campaign (2 min, seed 1, with the disk-full fault as root: docs/chaos.md)'
  const tmp = privateTmp('chaos')
  // `npm run chaos` without npm, whose compile cache would land in the private TMPDIR as a leftover.
  const { code, output } = await run(label, process.execPath, ['test/chaos/campaign.ts', '--minutes', '2', '--seed', '1'], { TMPDIR: tmp.dir })
  const summary = /^chaos: (\d+) of (\d+) checks passed$/m.exec(output)
  const passed = Number(summary?.[1] ?? 0)
  const failed = Number(summary?.[2] ?? 1) - passed
  totals.passed += passed
  totals.failed += failed
  const leftovers = tmp.leftovers()
  if (leftovers.length > 0) process.stderr.write(`\n${label} left behind (killed and removed now):\n  ${leftovers.join('\n  ')}\n`)
  if (code !== 0 || passed === 0 || leftovers.length > 0) { failedSteps.push(label); if (failed === 0) totals.failed++ }
}

/**
 * Debian packages the tests use, each with how to tell it is there: Chromium for the UI tests; for the NAT
 * tests iproute2, nftables and miniupnpd (its nftables build); the CalDAV tests' real clients; python3's
 * dateutil, the second implementation the recurrence rules are checked against. All but Chromium are
 * optional: a test without its tool says "skipped". Installed in one go when missing and this is root.
 */
const DEBIAN_PACKAGES: Array<[probe: string, pkg: string]> = [
  [CHROMIUM, 'chromium'],
  ['ip', 'iproute2'], ['nft', 'nftables'], ['miniupnpd', 'miniupnpd-nftables'],
  ['vdirsyncer', 'vdirsyncer'], ['/usr/lib/python3/dist-packages/caldav', 'python3-caldav'],
  ['/usr/lib/python3/dist-packages/dateutil', 'python3-dateutil']
]
const onPath = (command: string): boolean => command.startsWith('/') ? existsSync(command) : [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin'].some(dir => existsSync(join(dir, command)))

async function ensureDebianPackages (): Promise<void> {
  const missing = DEBIAN_PACKAGES.filter(([probe]) => !onPath(probe)).map(([, pkg]) => pkg)
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) {
    process.stderr.write(`missing and this is not root: ${missing.join(' ')} (\`sudo apt-get install ${missing.join(' ')}\`); tests that need them say "skipped"\n`)
    return
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  if ((await run('install test tools', 'apt-get', ['update', '-qq'], env)).code !== 0) return
  await run('install test tools', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], env)
}

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(`npm test needs Node >= 22 (got ${process.version}); run it through npm so the project's Node 22 is used\n`)
  process.exit(1)
}

await ensureDebianPackages()
const chromium = existsSync(CHROMIUM)
if (!chromium) failedSteps.push('install Chromium')
await step('type-check', 'npm', ['run', '--silent', 'typecheck'])
const built = await step('build', 'npm', ['run', '--silent', 'build'])
await nodeTests('unit tests', 'test:unit')
await nodeTests('network tests', 'test:net')
await nodeTests('network tests one at a time (namespaces: NATs, relays, LANs; large file transfers)', 'test:net-serial')
await chaos()
if (built && chromium) {
  const { code, output } = await run('UI tests (Playwright, Chromium)', 'npm', ['run', '--silent', 'test:e2e'])
  const passed = count(output, /^\s+(\d+) passed/gm)
  const failed = count(output, /^\s+(\d+) failed/gm) + count(output, /^\s+(\d+) flaky/gm)
  totals.passed += passed
  totals.failed += failed
  totals.skipped += count(output, /^\s+(\d+) skipped/gm)
  if (code !== 0 || passed === 0) { failedSteps.push('UI tests'); if (failed === 0) totals.failed++ }
} else {
  failedSteps.push('UI tests (not run: ' + (built ? 'no Chromium' : 'build failed') + ')')
  totals.failed++
}

process.stdout.write(`\n${failedSteps.length > 0 ? `failed steps: ${failedSteps.join(', ')}\n` : ''}`)
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`)
process.exit(failedSteps.length > 0 ? 1 : 0)
