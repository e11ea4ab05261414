// Generates the miner's WebAssembly SIMD kernel: double SHA-256 of an 80-byte header for eight nonces
// at once, two interleaved streams of four (one per i32x4 lane), from the midstate of the header's
// first 64 bytes. Each compression's first 16 rounds are unrolled with every known word folded in at
// build time: constants (padding, lengths, the IV) are combined into one per round and read from a table,
// and values that don't depend on the nonce (the first rounds of the header's second block) are computed
// once per call, outside the nonce loop. Rounds 16-63 loop.
// The code is shaped for V8's register allocator (16 xmm registers): rotations as shift chains that keep
// one temporary live, and each round's d reloaded from memory instead of kept (`Emitter.stashed`). With
// one stream the core waited on each round's dependency chain; the second stream's rounds fill those
// waits, which outweighs the spills it brings back (docs/benchmarks.md).
// Writes p2p/ledger/miner/sha256d-wasm.ts: the binary as base64, and how many SIMD arithmetic/logic
// operations a step runs (`bench:ledger` prints the ceiling that count sets on this machine).
// Run: npm run build:ledger-wasm
// `--check` exits 1 if that file is not what this script generates (a test runs it).
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import wabt from 'wabt'

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

/**
 * Rounds per step of the loop over rounds 16-63 (a divisor of 48, at least STASH_SLOTS: with fewer, a
 * step's carried locals would be set from each other). With two streams 4 measured fastest (8 rounds of
 * each stream −21 %, 6 −17 %, both against 4); with one stream, 6 and 8 had (+8 % over 16).
 */
const LOOP_ROUNDS = 4

/**
 * Independent four-nonce streams a search step hashes, their rounds interleaved so one stream's
 * operations fill the other's 2-cycle waits: +12 to +14 % over one stream (docs/benchmarks.md).
 */
const STREAMS = 2
const NONCES_PER_STEP = 4 * STREAMS

/**
 * Memory layout shared with p2p/ledger/miner/sha256d-kernel.ts (byte offsets), room for two streams:
 * lanes 8 words × 2 streams, the stash 4 slots per stream, each schedule 64 words per stream.
 */
export const LAYOUT = { header: 0, target: 80, midstate: 128, lanes: 160, zeros: 496, stash: 512, schedule1: 1024, schedule2: 3072, k: 5120, constants: 6144 } as const

/**
 * The arithmetic/logic SIMD operations SHA-256 is made of here; loads, stores and splats use other
 * execution units and are not counted.
 */
export const SIMD_OPS = ['i32x4.add', 'v128.xor', 'v128.or', 'v128.and', 'v128.bitselect', 'i32x4.shl', 'i32x4.shr_u'] as const
export type SimdOpCounts = Record<typeof SIMD_OPS[number], number>

/** Each of SIMD_OPS in WAT text, times `times`, added into `into`. */
function countOps (wat: string, times = 1, into: SimdOpCounts = Object.fromEntries(SIMD_OPS.map(op => [op, 0])) as SimdOpCounts): SimdOpCounts {
  for (const op of SIMD_OPS) into[op] += times * (wat.match(new RegExp(`\\(${op.replace('.', '\\.')}[\\s)]`, 'g'))?.length ?? 0)
  return into
}

/** A round's new a is d four rounds later, read before that round stores its own: four stash slots. */
const STASH_SLOTS = 4

/**
 * A value in the generated code: a build-time constant (`c`), or WAT code yielding a v128, `uniform`
 * when it is the same for every nonce of a call (so it is computed once, before the loop).
 */
interface Val { code: string, c?: number, uniform: boolean }

/** Constants other than 0 and -1, each at its offset in a table in memory (see `constant`). */
const constants = new Map<number, number>()

/**
 * A constant in every lane. V8 builds a v128.const in three instructions (through a general register)
 * and a load from memory in one, so constants other than 0 and -1 (one instruction either way) are
 * read from a table.
 */
const constant = (c: number): Val => {
  const u = c >>> 0
  if (u === 0 || u === 0xffffffff) return { code: `(v128.const i32x4 ${u} ${u} ${u} ${u})`, c: u, uniform: true }
  if (!constants.has(u)) constants.set(u, LAYOUT.constants + 16 * constants.size)
  return { code: `(v128.load offset=${constants.get(u)!} (i32.const 0))`, c: u, uniform: true }
}

/** One generated function: locals, statements before the nonce loop, statements inside it. */
class Emitter {
  readonly locals: string[] = []
  /** i32 locals (loop counters). */
  readonly scalars: string[] = []
  readonly before: string[] = []
  inside: string[] = []
  /** Loop bodies inside the nonce loop (their text is in `inside` once) and how many times each runs. */
  readonly loops: Array<{ body: string, trips: number }> = []
  /**
   * i32 locals holding 0, read from memory (LAYOUT.zeros): the stash's stores go through one, its loads
   * through the other. Through the same base V8 would prove the addresses equal and forward the stored
   * value in a register again, which is the spill this avoids. Undefined: no stash (prepare()).
   */
  stashBases?: { store: string, load: string }

  /** A value used more than once lives in a local, set before the loop if it is uniform. */
  keep (v: Val, name: string): Val {
    if (v.c !== undefined || v.code.startsWith('(local.get')) return v
    const local = `$${name}_${this.locals.length}`
    this.locals.push(local)
    ;(v.uniform ? this.before : this.inside).push(`(local.set ${local} ${v.code})`)
    return { code: `(local.get ${local})`, uniform: v.uniform }
  }

  op (fold: (...xs: number[]) => number, wat: (...codes: string[]) => string, ...args: Val[]): Val {
    if (args.every(a => a.c !== undefined)) return constant(fold(...args.map(a => a.c!)))
    return { code: wat(...args.map(a => a.code)), uniform: args.every(a => a.uniform) }
  }

  /** Sum mod 2^32, constants folded and the nonce-independent terms summed once before the loop. */
  add (...terms: Val[]): Val {
    const c = terms.reduce((sum, t) => (sum + (t.c ?? 0)) >>> 0, 0)
    const uniform = terms.filter(t => t.c === undefined && t.uniform)
    const varying = terms.filter(t => !t.uniform)
    const sum = (vs: Val[]): Val => vs.reduce((acc, v) => ({ code: `(i32x4.add ${acc.code} ${v.code})`, uniform: acc.uniform && v.uniform }))
    const fixed = [...uniform, ...(c !== 0 ? [constant(c)] : [])]
    if (varying.length === 0) return fixed.length === 0 ? constant(0) : sum(fixed)
    const hoisted = fixed.length > 1 ? [this.keep(sum(fixed), 'u')] : fixed
    return sum([...hoisted, ...varying])
  }

  shr (x: Val, n: number): Val {
    return this.op(v => v >>> n, code => `(i32x4.shr_u ${code} (i32.const ${n}))`, x)
  }

  shl (x: Val, n: number): Val {
    return this.op(v => v << n, code => `(i32x4.shl ${code} (i32.const ${n}))`, x)
  }

  /**
   * The xor of x shifted by each amount, as one chain: x>>6 ^ x>>11 ^ x>>25 = ((x>>14 ^ x)>>5 ^ x)>>6.
   * As many operations as separate shifts, but one temporary live instead of one per shift (V8 computes
   * all of a tree's shifts first, and spilled). Two operations deeper, which the round's order absorbs.
   */
  shifted (x: Val, amounts: number[], left: boolean): Val {
    const descending = [...amounts].sort((p, q) => q - p)
    return descending.reduce<Val | undefined>((acc, n, i) => {
      const by = n - (descending[i + 1] ?? 0)
      const v = acc === undefined ? x : this.xor(acc, x)
      return left ? this.shl(v, by) : this.shr(v, by)
    }, undefined)!
  }

  /** The xor of x's rotations right by `rotations` and of x >>> `shift`. */
  sigma (x: Val, rotations: number[], shift?: number): Val {
    x = this.keep(x, 'x')
    const rights = shift === undefined ? rotations : [...rotations, shift]
    return this.xor(this.shifted(x, rights, false), this.shifted(x, rotations.map(n => 32 - n), true))
  }

  bigSigma0 (a: Val): Val { return this.sigma(a, [2, 13, 22]) }
  bigSigma1 (e: Val): Val { return this.sigma(e, [6, 11, 25]) }
  smallSigma0 (w: Val): Val { return this.sigma(w, [7, 18], 3) }
  smallSigma1 (w: Val): Val { return this.sigma(w, [17, 19], 10) }

  /** Ch(e, f, g): f where e has a 1 bit, else g — exactly v128.bitselect. */
  ch (e: Val, f: Val, g: Val): Val {
    return this.op((x, y, z) => (x & y) ^ (~x & z), (x, y, z) => `(v128.bitselect ${y} ${z} ${x})`, e, f, g)
  }

  xor (p: Val, q: Val): Val {
    return this.op((s, t) => s ^ t, (s, t) => `(v128.xor ${s} ${t})`, p, q)
  }

  /**
   * Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)). A round's b ^ c is the previous round's a ^ b, so passing
   * that along makes Maj three operations instead of four.
   */
  maj (ab: Val, b: Val, bc: Val): Val {
    return this.xor(b, this.op((x, y) => x & y, (x, y) => `(v128.and ${x} ${y})`, ab, bc))
  }

  /**
   * A round's new a, to come back as d four rounds later: stored at `offset` (a slot of the stash) and reloaded
   * from there (folded into the add that uses it), so it needn't stay in a register through rounds that don't read it.
   */
  stashed (a: Val, offset: number): Val {
    if (this.stashBases === undefined || a.uniform) return a
    this.inside.push(`(v128.store offset=${offset} (local.get ${this.stashBases.store}) ${a.code})`)
    return { code: `(v128.load offset=${offset} (local.get ${this.stashBases.load}))`, uniform: false }
  }

  /** A statement with no value: before the loop if it only involves uniform values. */
  emit (statement: string, uniform: boolean): void {
    (uniform ? this.before : this.inside).push(statement)
  }

  /**
   * SHA-256 compressions of independent streams (each 16 words `block` into `state`), their rounds
   * interleaved: one stream's round fills the gaps of the other's dependency chain. Returns each
   * stream's eight output words. Rounds 0-15 are unrolled, with the block's known words folded in. With
   * `schedule` (a byte offset in memory for 64 v128 words per stream), rounds 16-63 run as a loop of
   * LOOP_ROUNDS-round steps that keep the message schedule in memory: fully unrolled, the code overflowed
   * the CPU's decoded-instruction cache and ran 30 % slower.
   */
  compress (streams: Array<{ state: Val[], block: Val[] }>, schedule?: number): Val[][] {
    const all = streams.map((stream, n) => {
      const start = stream.state.map((v, i) => this.keep(v, `s${i}`))
      return {
        w: stream.block.map((v, i) => this.keep(v, `w${i}`)),
        start,
        v: [...start],
        bc: this.xor(start[1]!, start[2]!),
        // Each round's new a, as it is read back as d (stashed), from the start of the unrolled rounds or of a loop step.
        comingBack: [] as Val[],
        stash: LAYOUT.stash + 16 * STASH_SLOTS * n,
        schedule: schedule === undefined ? undefined : schedule + 16 * 64 * n
      }
    })
    type Stream = typeof all[number]
    const round = (s: Stream, wi: Val, k: Val): void => {
      let [a, b, c, d, e, f, g, h] = s.v as [Val, Val, Val, Val, Val, Val, Val, Val]
      // The new e and a each wait on one Σ and one add (vector adds take 2 cycles on Zen 5): x = h + K + W + Ch
      // is summed while Σ1(e) runs, and e's d joins x before Σ1 arrives. One add more a round than sharing
      // t1 = x + Σ1 between them, which put two adds after Σ1 on e's path.
      const x = this.keep(this.add(h, k, wi, this.ch(e, f, g)), 'x')
      const s1 = this.keep(this.bigSigma1(e), 's1')
      const ab = this.keep(this.xor(a, b), 'ab')
      const maj = this.maj(ab, b, s.bc)
      const s0 = this.bigSigma0(a)
      s.bc = ab
      h = g; g = f; f = e; e = this.keep(this.add(s.comingBack[s.comingBack.length - STASH_SLOTS] ?? d, x, s1), 'e')
      d = c; c = b; b = a; a = this.keep(this.add(x, maj, s1, s0), 'a')
      s.v = [a, b, c, d, e, f, g, h]
      s.comingBack.push(this.stashed(a, s.stash + 16 * (s.comingBack.length % STASH_SLOTS)))
    }
    const unrolledRounds = schedule === undefined ? 64 : 16
    for (let i = 0; i < unrolledRounds; i++) {
      for (const s of all) {
        const w = s.w
        // Each schedule word just before its round, so only a 16-word window is live (fewer spills).
        if (i >= 16) w.push(this.keep(this.add(this.smallSigma1(w[i - 2]!), w[i - 7]!, this.smallSigma0(w[i - 15]!), w[i - 16]!), `w${i}`))
        if (s.schedule !== undefined) this.emit(`(v128.store offset=${s.schedule + 16 * i} (i32.const 0) ${w[i]!.code})`, w[i]!.uniform)
        round(s, w[i]!, constant(K[i]!))
      }
    }
    if (schedule !== undefined) {
      // Loop-carried: each stream's working variables and the a ^ b that Maj reuses.
      const carried = all.map((_, n) => ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'BC'].map(v => `$${v}${n}_${this.locals.length}`))
      const carry = (): void => {
        all.forEach((s, n) => { [...s.v, s.bc].forEach((v, j) => { this.inside.push(`(local.set ${carried[n]![j]!} ${v.code})`) }) })
      }
      const fromCarried = (n: number): Val[] => carried[n]!.map(l => ({ code: `(local.get ${l})`, uniform: false }))
      for (const locals of carried) this.locals.push(...locals)
      carry()
      const outer = this.inside
      this.inside = []
      all.forEach((s, n) => {
        const v = fromCarried(n)
        s.v = v.slice(0, 8)
        s.bc = v[8]!
        // A step's first rounds take d from the carried locals (the body runs again and again).
        s.comingBack = []
      })
      const p = `$p${this.locals.length}`
      const at = (offset: number): string => `(v128.load offset=${offset} (local.get ${p}))`
      const fresh: Val[][] = all.map(() => [])
      for (let k = 0; k < LOOP_ROUNDS; k++) {
        all.forEach((s, n) => {
          const mine = fresh[n]!
          // Word 16 + LOOP_ROUNDS j + k, with p = 16 LOOP_ROUNDS j: earlier words from memory, this step's from locals.
          const word = (back: number): Val => k - back >= 0 ? mine[k - back]! : { code: at(s.schedule! + 16 * (16 + k - back)), uniform: false }
          mine.push(this.keep(this.add(this.smallSigma1(word(2)), word(7), this.smallSigma0(word(15)), word(16)), 'w'))
          this.inside.push(`(v128.store offset=${s.schedule! + 16 * (16 + k)} (local.get ${p}) ${mine[k]!.code})`)
          round(s, mine[k]!, { code: at(LAYOUT.k + 16 * (16 + k)), uniform: false })
        })
      }
      carry()
      const body = this.inside
      this.inside = outer
      this.loops.push({ body: body.join('\n'), trips: 48 / LOOP_ROUNDS })
      this.inside.push(`(local.set ${p} (i32.const 0))`, `(loop $rounds${p}
${body.join('\n')}
(local.set ${p} (i32.add (local.get ${p}) (i32.const ${16 * LOOP_ROUNDS})))
(br_if $rounds${p} (i32.lt_u (local.get ${p}) (i32.const ${16 * 48}))))`)
      this.scalars.push(p)
      all.forEach((s, n) => { s.v = fromCarried(n).slice(0, 8) })
    }
    return all.map(s => s.v.map((v, i) => this.add(s.start[i]!, v)))
  }

  func (signature: string, body: string): string {
    const locals = [...this.locals.map(l => `(local ${l} v128)`), ...this.scalars.map(l => `(local ${l} i32)`)]
    return `(func ${signature}\n${locals.join('\n')}\n${body})`
  }
}

const loadUniform = (offset: number): Val => ({ code: `(i32x4.splat (i32.load offset=${offset} (i32.const 0)))`, uniform: true })

/** prepare(): the midstate (the compression of the header's first 64 bytes) into memory. */
function prepareFunction (): string {
  const em = new Emitter()
  const words = Array.from({ length: 16 }, (_, i) => loadUniform(LAYOUT.header + 4 * i))
  const [mid] = em.compress([{ state: IV.map(constant), block: words }]) as [Val[]]
  const stores = mid.map((v, i) => `(i32.store offset=${LAYOUT.midstate + 4 * i} (i32.const 0) (i32x4.extract_lane 0 ${v.code}))`)
  return em.func('(export "prepare")', [...em.before, ...stores].join('\n'))
}

/**
 * search(from, count): nonces from, from+1, … (count a multiple of NONCES_PER_STEP), NONCES_PER_STEP per
 * step, four per stream (one per i32x4 lane). At the first step where some lane's first hash word is at
 * most the target's first word (necessary for hash ≤ target), stores the step's hashes at `lanes` (word j
 * of nonce n at lanes + 4 (NONCES_PER_STEP j + n)) and returns that step's offset from `from`, for the
 * caller to compare in full; -1 when no step qualifies.
 * `ops`: the SIMD operations of one step's double SHA-256s (the nonces' setup, the comparison and the
 * rare stores aside), each looped round counted as often as it runs.
 */
function searchFunction (): { wat: string, ops: SimdOpCounts } {
  const em = new Emitter()
  em.stashBases = { store: '$stashStore', load: '$stashLoad' }
  const streams = Array.from({ length: STREAMS }, (_, n) => n)
  const tail = [0, 1, 2].map(i => loadUniform(LAYOUT.header + 64 + 4 * i))
  const midstate = Array.from({ length: 8 }, (_, i) => loadUniform(LAYOUT.midstate + 4 * i))
  // The header's second block: its last 12 bytes, the nonce, then padding and the length (640 bits).
  const first = em.compress(streams.map(n => ({
    state: midstate,
    block: [...tail, { code: `(local.get $nonce${n})`, uniform: false }, constant(0x80000000), ...Array<Val>(10).fill(constant(0)), constant(640)]
  })), LAYOUT.schedule1)
  // The second SHA-256 hashes those 32 bytes: padding and a length of 256 bits.
  const second = em.compress(first.map(hash => ({ state: IV.map(constant), block: [...hash, constant(0x80000000), ...Array<Val>(6).fill(constant(0)), constant(256)] })), LAYOUT.schedule2)
  const target = em.keep(loadUniform(LAYOUT.target), 'target')
  const stores = second.flatMap((hash, n) => hash.map((v, j) => `(v128.store offset=${LAYOUT.lanes + 16 * (STREAMS * j + n)} (i32.const 0) ${v.code})`))
  const hit = second.map(hash => `(i32x4.le_u ${hash[0]!.code} ${target.code})`).reduce((p, q) => `(v128.or ${p} ${q})`)
  // Big-endian words of each lane's nonce: the header stores it little-endian.
  const byteSwap = '3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12'
  const nonces = streams.map(n => `(local.set $nonce${n} (i32x4.add (local.get $base) (v128.const i32x4 ${[0, 1, 2, 3].map(l => 4 * n + l).join(' ')})))
    (local.set $nonce${n} (i8x16.shuffle ${byteSwap} (local.get $nonce${n}) (local.get $nonce${n})))`)
  const body = `(local $i i32) (local $base v128) ${streams.map(n => `(local $nonce${n} v128)`).join(' ')} (local $stashStore i32) (local $stashLoad i32)
(local.set $stashStore (i32.load offset=${LAYOUT.zeros} (i32.const 0)))
(local.set $stashLoad (i32.load offset=${LAYOUT.zeros + 4} (i32.const 0)))
${em.before.join('\n')}
(block $done
  (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
    (local.set $base (i32x4.splat (i32.add (local.get $from) (local.get $i))))
    ${nonces.join('\n    ')}
    ${em.inside.join('\n    ')}
    (if (v128.any_true ${hit})
      (then ${stores.join(' ')} (return (local.get $i))))
    (local.set $i (i32.add (local.get $i) (i32.const ${NONCES_PER_STEP})))
    (br $next)))
(i32.const -1)`
  const ops = countOps(`${em.inside.join('\n')}\n${second.map(hash => hash[0]!.code).join('\n')}`)
  for (const { body, trips } of em.loops) countOps(body, trips - 1, ops)
  return { wat: em.func('(export "search") (param $from i32) (param $count i32) (result i32)', body), ops }
}

export async function buildSha256dWasm (): Promise<{ binary: Uint8Array, opsPerStep: SimdOpCounts }> {
  // The round constants, each splatted to four lanes, for the looped rounds.
  const kBytes = Buffer.alloc(64 * 16)
  K.forEach((k, i) => { for (let lane = 0; lane < 4; lane++) kBytes.writeUInt32LE(k, 16 * i + 4 * lane) })
  // In this order: each function adds its constants to the table.
  const prepare = prepareFunction()
  const search = searchFunction()
  const functions = `${prepare}\n${search.wat}`
  const table = Buffer.alloc(16 * constants.size)
  for (const [c, offset] of constants) for (let lane = 0; lane < 4; lane++) table.writeUInt32LE(c, offset - LAYOUT.constants + 4 * lane)
  const data = (offset: number, bytes: Buffer): string => `(data (i32.const ${offset}) "${[...bytes].map(byte => '\\' + byte.toString(16).padStart(2, '0')).join('')}")`
  const wat = `(module (memory (export "memory") 1)\n${data(LAYOUT.k, kBytes)}\n${data(LAYOUT.constants, table)}\n${functions})`
  const module = (await wabt()).parseWat('sha256d.wat', wat, { simd: true })
  try {
    module.validate()
    return { binary: module.toBinary({}).buffer, opsPerStep: search.ops }
  } finally {
    module.destroy()
  }
}

const OUTPUT = new URL('../p2p/ledger/miner/sha256d-wasm.ts', import.meta.url)

async function main (): Promise<void> {
  const { binary, opsPerStep } = await buildSha256dWasm()
  const base64 = Buffer.from(binary).toString('base64')
  const source = `// Generated by scripts/build-sha256d-wasm.ts (npm run build:ledger-wasm); do not edit.
// The miner's WebAssembly SIMD double SHA-256 kernel, ${NONCES_PER_STEP} nonces per step from the header's midstate.
export const SHA256D_WASM_BASE64 =
  '${base64}'

/** Nonces a step of the kernel's search hashes: four per stream, one per i32x4 lane. */
export const SHA256D_NONCES_PER_STEP = ${NONCES_PER_STEP}

/** The SIMD arithmetic/logic operations one step runs (bench:ledger's ceiling). */
export const SHA256D_SIMD_OPS_PER_STEP = ${JSON.stringify(opsPerStep).replaceAll('"', "'").replaceAll(',', ', ').replaceAll(':', ': ').replace('{', '{ ').replace('}', ' }')} as const
`
  if (process.argv.includes('--check')) {
    if (readFileSync(OUTPUT, 'utf8') !== source) {
      console.error('p2p/ledger/miner/sha256d-wasm.ts is stale: run npm run build:ledger-wasm')
      process.exit(1)
    }
    return
  }
  writeFileSync(OUTPUT, source)
  console.log(`wrote ${fileURLToPath(OUTPUT)} (${base64.length} base64 chars)`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
