// `npm run chaos -- --minutes N --seed S`: five real peers (three calendar members, a miner, a file share)
// on 127.0.0.1, and for N minutes, at moments drawn from the seed: kill -9 and restart, airplane mode,
// isolating a peer while the others go on writing, garbage frames from an attacker peer, and (as root) a
// full disk on a small tmpfs. Meanwhile members write to their calendar, the miner mines and two peers
// download the share. Then everything heals and is checked: every acknowledged calendar write on every
// replica and the replicas equal, one chain tip and equal UTXO sets, the downloads' SHA-256, no crash but
// our kills, logs under their cap. Prints a summary table; exits 1 if a check failed.
import { parseArgs } from 'node:util'
import { createHash, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import { multiaddr } from '@multiformats/multiaddr'
import { seededRandom } from '../../p2p/seeded-random.ts'
import { parseConfig } from '../../p2p/config.ts'
import { runTidepool, type RunningTidepool } from '../../p2p/cli.ts'
import { LOG_FILE, LOG_KEEP_FILES, LOG_MAX_BYTES } from '../../p2p/logger.ts'
import { filesProtocol } from '../../p2p/files/protocol.ts'
import { calendarSyncProtocol } from '../../p2p/calendar/sync/protocol.ts'
import { syncProtocol } from '../../p2p/ledger/sync/protocol.ts'
import { makeDataDir, startPeerProcess, type PeerProcess } from '../support/peer-process.ts'
import { makeTempDir } from '../support/cleanup.ts'

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' }, seed: { type: 'string', default: '1' }, 'no-disk-full': { type: 'boolean', default: false } } })
const minutes = Number(values.minutes)
const seed = Number(values.seed)
if (!(minutes > 0) || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run chaos -- --minutes N --seed S [--no-disk-full]\n')
  process.exit(2)
}
const random = seededRandom(seed)
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const between = (lo: number, hi: number): number => lo + random() * (hi - lo)
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const say = (line: string): void => { process.stdout.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`) }

const NETWORK = `test-chaos-${seed}`
const CHAIN = 'test'
const ROLES = ['calendar (primary)', 'calendar', 'calendar', 'miner', 'file share'] as const
const MEMBERS = [0, 1, 2]
const DOWNLOADERS = [1, 2]
const TMPFS_PEER = 2
const MINER = 3
// The disk-full fault needs root (it mounts a tmpfs); --no-disk-full leaves it out anyway.
const diskFull = process.getuid?.() === 0 && values['no-disk-full'] !== true

const faults = new Map<string, number>()
const count = (kind: string): void => { faults.set(kind, (faults.get(kind) ?? 0) + 1) }
const checks: Array<{ check: string, ok: boolean, detail: string }> = []
const crashes: string[] = []

interface Slot { index: number, dataDir: string, port: number, proc: PeerProcess | undefined, killing: boolean, offline: boolean }

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => { resolve(port) })
    }).on('error', reject)
  })
}

const slots: Slot[] = []
const addrOf = (slot: Slot): string => `/ip4/127.0.0.1/tcp/${slot.port}/p2p/${slot.proc?.ready.peerId ?? ''}`
let bootstrap: string[] = []

/** Starts (or restarts) a slot's peer; a start that times out on a loaded machine is tried again. */
async function launch (slot: Slot, attempts = 3): Promise<void> {
  let proc: PeerProcess
  try {
    proc = await startPeerProcess({
      dataDir: slot.dataDir,
      network: NETWORK,
      listen: `/ip4/127.0.0.1/tcp/${slot.port}`,
      args: ['--chain', CHAIN, ...bootstrap.filter(a => !a.includes(`/tcp/${slot.port}/`)).flatMap(a => ['--bootstrap', a])]
    })
  } catch (err) {
    if (attempts <= 1 || !/not ready in/.test((err as Error).message)) throw err
    say(`peer ${slot.index} was slow to start; trying again`)
    await launch(slot, attempts - 1)
    return
  }
  slot.proc = proc
  slot.killing = false
  slot.offline = false
  proc.child.once('exit', (code, signal) => {
    if (slot.proc !== proc) return
    if (!slot.killing) crashes.push(`peer ${slot.index} exited by itself (code ${String(code)}, signal ${String(signal)}):\n${proc.stderr().slice(-2000)}`)
    slot.proc = undefined
  })
}

/** An API call on a live peer; undefined when it is down or did not answer. */
async function api (slot: Slot, path: string, body?: unknown): Promise<{ status: number, body: any } | undefined> {
  if (slot.proc === undefined) return undefined
  return await slot.proc.api(path, body === undefined ? {} : { body }).catch(() => undefined)
}

async function kill9 (slot: Slot): Promise<void> {
  if (slot.proc === undefined) return
  slot.killing = true
  await slot.proc.kill()
  slot.proc = undefined
}

// ---- setup ------------------------------------------------------------------------------------------

const tmpfsDir = await makeDataDir('chaos-tmpfs')
let tmpfsMounted = false
for (let i = 0; i < ROLES.length; i++) {
  let dataDir = await makeDataDir(`chaos-${i}`)
  if (i === TMPFS_PEER && diskFull) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128m', 'tidepool-chaos', tmpfsDir])
      tmpfsMounted = true
      dataDir = join(tmpfsDir, 'peer')
      await mkdir(dataDir)
    } catch (err) {
      say(`no tmpfs (${(err as Error).message.split('\n')[0] ?? ''}); the disk-full fault is skipped`)
    }
  }
  slots.push({ index: i, dataDir, port: await freePort(), proc: undefined, killing: false, offline: false })
}

const attackerDir = await makeTempDir('tidepool-chaos-attacker-')
let attacker: RunningTidepool | undefined
const downloadsDir = await makeTempDir('tidepool-chaos-downloads-')

async function cleanup (): Promise<void> {
  await attacker?.stop().catch(() => {})
  await Promise.all(slots.map(async s => { s.killing = true; await s.proc?.stop() }))
  if (tmpfsMounted) {
    try { execFileSync('umount', [tmpfsDir]) } catch (err) { say(`umount ${tmpfsDir} failed: ${(err as Error).message}`) }
  }
}

let calendarId = ''
/** Acknowledged calendar writes: title → the member that answered 200. */
const acknowledged = new Map<string, number>()
let share = { cid: '', sha: '' }
const started = Date.now()
let exitCode = 1
try {
  await launch(slots[0]!)
  await launch(slots[1]!)
  bootstrap = [addrOf(slots[0]!), addrOf(slots[1]!)]
  for (const slot of slots.slice(2)) await launch(slot)
  for (const slot of slots.slice(2)) for (const addr of bootstrap) await api(slot, '/api/peers/dial', { addr })
  say(`5 peers up on network ${NETWORK} (seed ${seed}, ${minutes} min)`)

  const created = await api(slots[0]!, '/api/calendars', { name: 'chaos' })
  if (created?.status !== 200) throw new Error(`creating the calendar failed: ${JSON.stringify(created)}`)
  calendarId = created.body.id
  for (const i of MEMBERS.slice(1)) {
    const joined = await api(slots[i]!, '/api/calendars/join', { invite: created.body.invite })
    if (joined?.status !== 200) throw new Error(`peer ${i} could not join: ${JSON.stringify(joined)}`)
  }
  await api(slots[MINER]!, '/api/mining', { enabled: true, threads: 1 })
  const bytes = randomBytes(3 * 1024 * 1024 + 17)
  share.sha = sha(bytes)
  const added = await fetch(`${slots[4]!.proc!.ready.api}/api/files?name=chaos.bin`, {
    method: 'POST', headers: { authorization: `Bearer ${slots[4]!.proc!.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes)
  })
  share = { ...share, cid: (await added.json() as { cid: string }).cid }
  for (const i of DOWNLOADERS) {
    const dest = join(i === TMPFS_PEER && tmpfsMounted ? slots[i]!.dataDir : downloadsDir, `chaos-${i}.bin`)
    await api(slots[i]!, '/api/files/download', { cid: share.cid, dest, maxBytesPerSecond: 262_144 })
  }
  attacker = await runTidepool(parseConfig(['--headless', '--no-mdns', '--network', NETWORK, '--chain', CHAIN, '--data-dir', attackerDir, '--listen', '/ip4/127.0.0.1/tcp/0'],
    { platform: process.platform, env: {}, home: attackerDir }), { info: () => {}, error: () => {}, close: async () => {} })

  // ---- faults and load, for the campaign's minutes ----------------------------------------------------
  const until = Date.now() + minutes * 60_000
  let writes = 0
  const writer = (async () => {
    while (Date.now() < until) {
      const slot = slots[pick(MEMBERS)]!
      const title = `chaos-${seed}-${writes++}`
      const start = new Date(Date.UTC(2030, 0, 1, 8 + Math.floor(random() * 10))).toISOString()
      const res = await api(slot, `/api/calendars/${calendarId}/writes`, { op: 'reserve', title, durationMinutes: 30, alternatives: [start] })
      if (res?.status === 200) acknowledged.set(title, slot.index)
      await sleep(between(200, 900))
    }
  })()

  const pending: Array<Promise<void>> = []
  const later = (ms: number, work: () => Promise<void>): void => { pending.push(sleep(ms).then(work).catch(err => { say(`a heal step failed: ${(err as Error).message}`) })) }
  const KINDS = ['kill -9 + restart', 'airplane mode', 'isolate a peer', 'garbage frames', ...(tmpfsMounted ? ['disk full'] : [])]
  while (Date.now() < until) {
    await sleep(between(2000, 6000))
    const kind = pick(KINDS)
    const slot = pick(slots)
    if (kind === 'kill -9 + restart') {
      if (slot.proc === undefined) continue
      await kill9(slot)
      later(between(500, 3000), async () => {
        await launch(slot)
        // Mining is not kept across a restart: the miner is set going again.
        if (slot.index === MINER) await api(slot, '/api/mining', { enabled: true, threads: 1 })
      })
    } else if (kind === 'airplane mode' || kind === 'isolate a peer') {
      if (slot.proc === undefined || slot.offline) continue
      if ((await api(slot, '/api/network', { online: false }))?.status !== 200) continue
      slot.offline = true
      // Isolated longer: the others go on writing and mining without it.
      later(kind === 'airplane mode' ? between(1000, 4000) : between(8000, 15000), async () => {
        if (slot.offline) await api(slot, '/api/network', { online: true })
        slot.offline = false
      })
    } else if (kind === 'garbage frames') {
      if (slot.proc === undefined) continue
      const protocol = pick([filesProtocol(NETWORK), calendarSyncProtocol(NETWORK), syncProtocol(NETWORK, CHAIN)])
      const frame = pick([Uint8Array.of(3, 0x7b, 0x7b, 0x7b), Uint8Array.of(0xff, 0xff, 0xff, 0x7f), randomBytes(64)])
      try {
        const stream = await attacker.peer.node.dialProtocol(multiaddr(addrOf(slot)), protocol, { signal: AbortSignal.timeout(3000) })
        stream.send(frame)
        await stream.close().catch(() => {})
      } catch { count('garbage refused (attacker banned or peer away)'); continue }
    } else if (kind === 'disk full') {
      const fill = join(slots[TMPFS_PEER]!.dataDir, '..', 'filler')
      await writeFile(fill, Buffer.alloc(256 * 1024 * 1024)).catch(() => {}) // stops at ENOSPC, leaving the disk full
      later(between(2000, 5000), async () => { await rm(fill, { force: true }) })
    }
    count(kind)
  }
  await writer
  say(`faults done; ${acknowledged.size} of ${writes} calendar writes acknowledged; healing`)

  // ---- heal ---------------------------------------------------------------------------------------------
  await Promise.all(pending)
  for (const slot of slots) {
    if (slot.proc === undefined) await launch(slot)
    await api(slot, '/api/network', { online: true })
  }
  for (const slot of slots) for (const other of slots) if (other !== slot) await api(slot, '/api/peers/dial', { addr: addrOf(other) })
  await api(slots[MINER]!, '/api/mining', { enabled: false })

  const converge = async <T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> => {
    const deadline = Date.now() + ms
    let value = await probe()
    while (!done(value) && Date.now() < deadline) { await sleep(1000); value = await probe() }
    if (!done(value)) say(`${what}: not converged in ${ms / 1000} s`)
    return value
  }

  // Calendar: every acknowledged write on every replica, and the replicas equal.
  const views = await converge('calendar', async () => {
    for (const i of MEMBERS) await api(slots[i]!, `/api/calendars/${calendarId}/sync`, {})
    return await Promise.all(MEMBERS.map(async i => (await api(slots[i]!, `/api/calendars/${calendarId}`))?.body))
  }, vs => vs.every(v => v !== undefined && JSON.stringify(replicaState(v)) === JSON.stringify(replicaState(vs[0]))) && vs.every(v => [...acknowledged.keys()].every(t => titles(v).has(t))), 120_000)
  const missing = MEMBERS.map((i, k) => [i, [...acknowledged.keys()].filter(t => views[k] === undefined || !titles(views[k]).has(t))] as const)
  const lost = [...new Set(missing.flatMap(([, ts]) => ts))].map(t => `${t} (acknowledged by peer ${String(acknowledged.get(t))})`)
  checks.push({ check: 'acknowledged calendar writes on every replica', ok: lost.length === 0, detail: `${acknowledged.size} acknowledged; missing per member: ${missing.map(([i, ts]) => `${i}:${ts.length}`).join(' ')}${lost.length > 0 ? `; ${lost.join(', ')}` : ''}` })
  checks.push({ check: 'calendar replicas equal', ok: views.every(v => v !== undefined && JSON.stringify(replicaState(v)) === JSON.stringify(replicaState(views[0]))), detail: views.map(v => v === undefined ? 'down' : `csn ${String(v.highestCsn)}, ${String(v.events.length)} events`).join('; ') })

  // Chain: one tip everywhere.
  const tips = await converge('chain', async () => await Promise.all(slots.map(async s => (await api(s, '/api/chain'))?.body?.tip as string | undefined)),
    ts => ts.every(t => t !== undefined && t === ts[0]), 90_000)
  const heights = await Promise.all(slots.map(async s => (await api(s, '/api/chain'))?.body?.height as number | undefined))
  checks.push({ check: 'one chain tip everywhere', ok: tips.every(t => t !== undefined && t === tips[0]), detail: `height ${heights.join('/')}, tip ${String(tips[0]).slice(0, 12)}…` })

  // Downloads: finished, at their path, with the right bytes (a copy that failed on a full disk is resumed).
  const entries = await converge('downloads', async () => await Promise.all(DOWNLOADERS.map(async i => {
    const entry = (await api(slots[i]!, `/api/files/${share.cid}`))?.body
    if (entry?.state === 'failed' || entry?.state === 'paused') await api(slots[i]!, `/api/files/${share.cid}/resume`, {})
    return entry
  })), es => es.every(e => e?.state === 'complete'), 120_000)
  const hashes = await Promise.all(entries.map(async e => e?.path == null ? 'none' : sha(await readFile(e.path).catch(() => Buffer.alloc(0)))))
  checks.push({ check: 'finished downloads have the right SHA-256', ok: hashes.every(h => h === share.sha), detail: entries.map((e, k) => `peer ${DOWNLOADERS[k]!}: ${String(e?.state)}${hashes[k] === share.sha ? ', sha ok' : ', sha WRONG'}`).join('; ') })

  // Stop everyone cleanly, then compare what is on disk.
  await attacker.stop()
  attacker = undefined
  const exits = await Promise.all(slots.map(async s => { s.killing = true; return await s.proc?.stop() }))
  checks.push({ check: 'clean shutdown after healing', ok: exits.every(e => e?.code === 0), detail: exits.map(e => String(e?.code)).join('/') })
  const utxos = await Promise.all(slots.map(async s => await utxoDigest(s.dataDir)))
  checks.push({ check: 'equal UTXO sets', ok: utxos.every(u => u === utxos[0]), detail: utxos.every(u => u === utxos[0]) ? utxos[0]! : utxos.map((u, i) => `${i}: ${u}`).join('; ') })
  checks.push({ check: 'no crash except our kills', ok: crashes.length === 0, detail: crashes.length === 0 ? '0 crashes' : crashes.join('\n') })
  const cap = LOG_MAX_BYTES * (LOG_KEEP_FILES + 1)
  const logBytes = await Promise.all(slots.map(async s => await logSize(s.dataDir)))
  checks.push({ check: 'logs under their cap', ok: logBytes.every(b => b <= cap), detail: `largest ${Math.max(...logBytes)} bytes of ${cap}` })
  exitCode = checks.every(c => c.ok) ? 0 : 1
} catch (err) {
  checks.push({ check: 'campaign ran', ok: false, detail: (err as Error).stack ?? String(err) })
} finally {
  await cleanup()
}

function titles (view: any): Set<string> {
  return new Set((view?.events ?? []).map((e: { title: string }) => e.title))
}

/** What must match across replicas once they have synced: committed prefix and every event's state. */
function replicaState (view: any): unknown {
  return { csn: view?.highestCsn, vv: view?.versionVector, events: (view?.events ?? []).map((e: any) => [e.id, e.title, e.start, e.status]).sort() }
}

async function utxoDigest (dataDir: string): Promise<string> {
  const db = new Level<string, Uint8Array>(join(dataDir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const ledger = db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' })
  const hash = createHash('sha256')
  let n = 0
  for await (const [key, value] of ledger.iterator({ gte: 'u!', lt: 'u!\xff' })) { hash.update(key).update(value); n++ }
  const tip = await ledger.get('tip').then(v => v === undefined ? 'none' : new TextDecoder().decode(v).slice(0, 12))
  await db.close()
  return `${hash.digest('hex').slice(0, 12)} (${n} outputs, tip on disk ${tip})`
}

async function logSize (dataDir: string): Promise<number> {
  const names = (await readdir(dataDir).catch(() => [])).filter(n => n.startsWith(LOG_FILE))
  const sizes = await Promise.all(names.map(async n => (await stat(join(dataDir, n))).size))
  return sizes.reduce((a, b) => a + b, 0)
}

// ---- summary ------------------------------------------------------------------------------------------
const rows: Array<[string, string]> = [
  ['seed / minutes / wall time', `${seed} / ${minutes} / ${((Date.now() - started) / 1000).toFixed(0)} s`],
  ['peers', ROLES.map((r, i) => `${i}: ${r}${i === TMPFS_PEER && tmpfsMounted ? ' (tmpfs disk)' : ''}`).join(', ')],
  ...[...faults.entries()].sort().map(([kind, n]): [string, string] => [`fault: ${kind}`, String(n)]),
  ['calendar writes acknowledged', String(acknowledged.size)]
]
const width = Math.max(...rows.map(r => r[0].length), ...checks.map(c => c.check.length)) + 2
process.stdout.write('\n' + rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n') + '\n\n')
process.stdout.write(checks.map(c => `${c.ok ? 'PASS' : 'FAIL'}  ${c.check.padEnd(width)}${c.detail}`).join('\n') + '\n')
process.stdout.write(`\nchaos: ${checks.filter(c => c.ok).length} of ${checks.length} checks passed\n`)
process.exit(exitCode)
