// `npm test`: everything CI runs, in order — install what the tests need (Debian's Chromium; iproute2 and
// nftables for the NAT tests), type-check,
// build, unit tests, network tests with real peers, Playwright against a real browser — then one
// summary line "N passed, N failed, N skipped".
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
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

let aptUpdated = false

/** Installs Debian packages whose files are missing (root only); false when they are still missing. */
async function ensureDebianPackages (label: string, packages: string[], files: string[]): Promise<boolean> {
  if (files.every(existsSync)) return true
  if (process.getuid?.() !== 0) {
    process.stderr.write(`${files.join(', ')} missing and this is not root: run \`sudo apt-get install ${packages.join(' ')}\`, then npm test again\n`)
    return false
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  if (!aptUpdated && (await run(label, 'apt-get', ['update', '-qq'], env)).code !== 0) return false
  aptUpdated = true
  return (await run(label, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], env)).code === 0
}

const ensureChromium = async (): Promise<boolean> => await ensureDebianPackages('install Chromium', ['chromium'], [CHROMIUM])

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(`npm test needs Node >= 22 (got ${process.version}); run it through npm so the project's Node 22 is used\n`)
  process.exit(1)
}

const chromium = await ensureChromium()
if (!chromium) failedSteps.push('install Chromium')
// The NAT tests build their network with ip netns and nftables; without them (or root) they report skipped.
if (process.getuid?.() === 0 && !await ensureDebianPackages('install iproute2 and nftables', ['iproute2', 'nftables'], ['/usr/sbin/ip', '/usr/sbin/nft'])) {
  failedSteps.push('install iproute2 and nftables')
}
await step('type-check', 'npm', ['run', '--silent', 'typecheck'])
const built = await step('build', 'npm', ['run', '--silent', 'build'])
await nodeTests('unit tests', 'test:unit')
await nodeTests('network tests', 'test:net')
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
