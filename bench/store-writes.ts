// What the full-disk safety of the store costs: writes through RecoveringLevel (one at a time, so none
// lands after a failed one) beside the same writes on a plain classic-level database, in the same run —
// one writer after another, and 16 writers at once (where LevelDB could otherwise group them).
// Run: npm run bench:store  (BENCH_WRITES=20000 for more; default 5000 a case). CPU time a write is the
// steadier figure on a shared machine.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { RecoveringLevel } from '../p2p/store/recovering-level.ts'
import type { AppDatabase } from '../p2p/store/app-store.ts'

const WRITES = Number(process.env.BENCH_WRITES ?? 5000)
const VALUE = new Uint8Array(200).fill(7)

/** Writes per second of wall time, and CPU microseconds per write (all threads: steadier on a busy machine). */
async function timed (db: AppDatabase, writers: number): Promise<{ perSecond: number, cpuMicros: number }> {
  const sub = db.sublevel<string, Uint8Array>('bench', { valueEncoding: 'view' })
  let next = 0
  const started = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(Array.from({ length: writers }, async () => {
    for (let i = next++; i < WRITES; i = next++) {
      await sub.batch([{ type: 'put', key: `k/${i}`, value: VALUE }, { type: 'put', key: 'tip', value: VALUE }])
    }
  }))
  const used = process.cpuUsage(cpu)
  return { perSecond: WRITES / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / WRITES }
}

const dirs: string[] = []
async function fresh (kind: 'plain' | 'recovering'): Promise<AppDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'store-bench-'))
  dirs.push(dir)
  const db = kind === 'plain' ? new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' }) : new RecoveringLevel(dir)
  await db.open()
  return db
}

try {
  process.stdout.write(`store writes: batches of two puts (200-byte values), ${WRITES} a case, writes per second\n`)
  for (const writers of [1, 16]) {
    const row: string[] = []
    // Interleaved, plain first then recovering, twice: a busy machine's drift falls on both.
    const figures = { plain: [] as Array<{ perSecond: number, cpuMicros: number }>, recovering: [] as Array<{ perSecond: number, cpuMicros: number }> }
    for (let round = 0; round < 2; round++) {
      for (const kind of ['plain', 'recovering'] as const) {
        const db = await fresh(kind)
        figures[kind].push(await timed(db, writers))
        await db.close()
      }
    }
    for (const kind of ['plain', 'recovering'] as const) {
      const perSecond = Math.max(...figures[kind].map(f => f.perSecond))
      const cpuMicros = Math.min(...figures[kind].map(f => f.cpuMicros))
      row.push(`${kind} ${Math.round(perSecond)}/s, ${cpuMicros.toFixed(0)} µs CPU a write`)
    }
    process.stdout.write(`  ${writers} writer${writers === 1 ? ' ' : 's'}: ${row.join('; ')} (best of 2; plain classic-level is the baseline)\n`)
  }
} finally {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
}
