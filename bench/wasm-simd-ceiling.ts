// The most WebAssembly SIMD operations per second this core runs in a given mix of operations: a small
// module runs CHAINS independent chains, each op applied to every chain in turn, so no op waits for the
// one before it (2 cycles of latency on Zen 5) and only the CPU's throughput limits the rate. The mix is
// the kernel's own (SHA256D_SIMD_OPS_PER_STEP, counted by scripts/build-sha256d-wasm.ts) in proportion,
// with the kernel's operand kinds: shifts by a constant, the other operand of add/xor/and/or and
// bitselect's in a register (constants loaded from memory, so V8 folds nothing).
import wabt from 'wabt'

/**
 * Chains run side by side: with 2 of V8's 16 xmm registers for the constants, one for bitselect's
 * temporary and one V8 keeps as scratch, 12 is the most that stays in registers (TurboFan's code: the
 * loop is the pattern's 1,200 ops and no moves). On the Zen 5 box, the kernel's mix: 8 chains 9.4 G ops/s,
 * 10 11.2, 12 to 16 the same 12.1-13.2 (noise), 20 and 24 fewer (spills).
 */
const CHAINS = 12
/** Ops in the repeated pattern (each applied to every chain): the mix's proportions to 1 %. */
const PATTERN = 100

type OpCounts = Readonly<Record<string, number>>

/**
 * `length` ops in the proportions of `counts` (largest remainder), each kind spread evenly through the
 * pattern rather than in runs, as in the kernel.
 */
function opPattern (counts: OpCounts, length = PATTERN): string[] {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
  const shares = Object.entries(counts).map(([op, n]) => ({ op, exact: n * length / total }))
  const whole = shares.map(s => ({ op: s.op, n: Math.floor(s.exact), rest: s.exact - Math.floor(s.exact) }))
  let missing = length - whole.reduce((sum, s) => sum + s.n, 0)
  for (const s of [...whole].sort((p, q) => q.rest - p.rest)) if (missing-- > 0) s.n++
  // Op j of a kind with n in the pattern sits at (j + 0.5) / n of the way through it.
  return whole.flatMap(s => Array.from({ length: s.n }, (_, j) => ({ op: s.op, at: (j + 0.5) / s.n })))
    .sort((p, q) => p.at - q.at).map(p => p.op)
}

/** One op applied to a chain's value `x` (WAT). */
function apply (op: string, x: string): string {
  switch (op) {
    case 'i32x4.add': case 'v128.xor': case 'v128.and': case 'v128.or': return `(${op} ${x} (local.get $k0))`
    case 'v128.bitselect': return `(v128.bitselect (local.get $k0) (local.get $k1) ${x})`
    case 'i32x4.shl': return `(i32x4.shl ${x} (i32.const 7))`
    case 'i32x4.shr_u': return `(i32x4.shr_u ${x} (i32.const 5))`
    default: throw new Error(`no ceiling loop for ${op}`)
  }
}

export interface Ceiling {
  /** Runs the pattern over every chain `iterations` times. */
  run: (iterations: number) => void
  /** SIMD operations per iteration. */
  opsPerIteration: number
}

export async function ceilingLoop (counts: OpCounts): Promise<Ceiling> {
  const pattern = opPattern(counts)
  const chains = Array.from({ length: CHAINS }, (_, i) => `$x${i}`)
  const body = pattern.flatMap(op => chains.map(x => `(local.set ${x} ${apply(op, `(local.get ${x})`)})`))
  const wat = `(module (memory (export "memory") 1)
(func (export "run") (param $n i32)
${[...chains, '$k0', '$k1'].map(x => `(local ${x} v128)`).join(' ')}
${[...chains, '$k0', '$k1'].map((x, i) => `(local.set ${x} (v128.load offset=${16 * i} (i32.const 0)))`).join('\n')}
(loop $again
${body.join('\n')}
(local.set $n (i32.sub (local.get $n) (i32.const 1)))
(br_if $again (local.get $n)))
${chains.map((x, i) => `(v128.store offset=${16 * i} (i32.const 0) (local.get ${x}))`).join('\n')}))`
  const module = (await wabt()).parseWat('ceiling.wat', wat, { simd: true })
  let binary: Uint8Array
  try {
    module.validate()
    binary = module.toBinary({}).buffer
  } finally {
    module.destroy()
  }
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(binary)))
  const memory = new Uint8Array((exports.memory as WebAssembly.Memory).buffer)
  for (let i = 0; i < 16 * (CHAINS + 2); i++) memory[i] = (i * 151 + 7) & 0xff
  return { run: exports.run as (iterations: number) => void, opsPerIteration: pattern.length * CHAINS }
}
