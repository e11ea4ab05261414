// Hashes per second of the ledger's proof-of-work loop on one core, beside the native figure from the
// same run: `openssl speed -evp sha256` on 16 kB blocks gives SHA-256 compressions per second (SHA-NI
// where the CPU has it), and a native midstate loop costs two compressions per nonce. Each side runs 5
// rounds, interleaved, and the median of each is printed: on this shared 2-core machine single rounds
// ranged 0.34–0.59 of native as the neighbours' load came and went. Also node:crypto's createHash per
// nonce, and signature verifications per second: the ledger's Ed25519 (node:crypto) beside the BIP340
// Schnorr of @noble/curves it replaced. All figures per CPU-second.
//
// The ceiling: no WebAssembly kernel can run SHA-256's operations faster than this core runs 128-bit SIMD
// operations. The generator counts the arithmetic/logic SIMD operations of the kernel's step
// (SHA256D_SIMD_OPS_PER_STEP for SHA256D_NONCES_PER_STEP nonces, looped rounds counted as often as they
// run); in each round a small module runs the same mix of operations on 12 independent chains, so
// throughput, not latency, limits it (bench/wasm-simd-ceiling.ts). Operations per CPU-second ÷ operations
// per step × nonces per step is the hash rate of a kernel that did nothing else: no loads, stores, moves
// or spills. It is an upper bound for this formulation of SHA-256 (V8 has no vector rotate: a rotation is
// two shifts and an xor), not for every conceivable one. Printed beside the native figure and as the kernel's share of it.
// For context only, never the baseline: openssl without the SHA extensions, OPENSSL_ia32cap=:~0x20000000
// (the second word is CPUID leaf 7's EBX, bit 29 SHA; OpenSSL 3.0's syntax), the same 5 rounds; the
// line prints its ratio to the SHA-NI figure, so a mask that changed nothing would show as ~1.
// Run: npm run bench:ledger   (BENCH_SECONDS per round, default 2; BENCH_ROUNDS, default 5)
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { searchNonces, targetWords } from '../p2p/ledger/miner/sha256d-kernel.ts'
import { SHA256D_NONCES_PER_STEP, SHA256D_SIMD_OPS_PER_STEP } from '../p2p/ledger/miner/sha256d-wasm.ts'
import { ceilingLoop } from './wasm-simd-ceiling.ts'
import { schnorr } from '@noble/curves/secp256k1.js'
import { newSecretKey, publicKeyOf } from '../p2p/ledger/rules/address.ts'
import { signMessage, verifySignature } from '../p2p/ledger/rules/signature.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const OPENSSL_BLOCK = 16_384
/** OpenSSL's capability mask clearing SHA (CPUID.(EAX=7,ECX=0).EBX bit 29). */
const WITHOUT_SHA_NI = ':~0x20000000'

const cpuSeconds = (): number => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6 }

/**
 * Operations per CPU-second of this process, as openssl speed divides by CPU time: on a machine shared
 * with other work, wall time would measure the neighbours.
 */
function rate (run: (count: number) => void, count: number, seconds = SECONDS): number {
  run(count)
  const start = cpuSeconds()
  let done = 0
  while (cpuSeconds() - start < seconds) {
    run(count)
    done += count
  }
  return done / (cpuSeconds() - start)
}

/**
 * Native double SHA-256 per nonce with a midstate, from openssl's bytes per second; undefined without
 * openssl. `ia32cap`: an OPENSSL_ia32cap mask; without it, any inherited one is dropped.
 */
function opensslNoncesPerSecond (ia32cap?: string): number | undefined {
  const env = { ...process.env }
  delete env.OPENSSL_ia32cap
  if (ia32cap !== undefined) env.OPENSSL_ia32cap = ia32cap
  try {
    const out = execFileSync('openssl', ['speed', '-seconds', String(Math.max(1, Math.round(SECONDS))), '-bytes', String(OPENSSL_BLOCK), '-evp', 'sha256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env })
    // Last line: "sha256   1789827.04k" (thousands of bytes per second).
    const kBytes = Number(/([\d.]+)k\s*$/.exec(out.trim())?.[1])
    return Number.isFinite(kBytes) ? kBytes * 1000 / 64 / 2 : undefined
  } catch {
    return undefined
  }
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const header = randomBytes(80)
// A target no hash meets, so every nonce is tried.
const impossible = targetWords(0n)
let base = 0
const opsPerStep = Object.values(SHA256D_SIMD_OPS_PER_STEP).reduce<number>((sum, n) => sum + n, 0)
const ceiling = await ceilingLoop(SHA256D_SIMD_OPS_PER_STEP)
const kernelRounds: number[] = []
const nativeRounds: number[] = []
const opsRounds: number[] = []
const noShaRounds: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  kernelRounds.push(rate(count => { searchNonces(header, impossible, base, base + count); base += count }, 100_000))
  const native = opensslNoncesPerSecond()
  if (native !== undefined) nativeRounds.push(native)
  opsRounds.push(ceiling.opsPerIteration * rate(count => { ceiling.run(count) }, 10_000))
  const noSha = opensslNoncesPerSecond(WITHOUT_SHA_NI)
  if (noSha !== undefined) noShaRounds.push(noSha)
}
const kernel = median(kernelRounds)
const native = nativeRounds.length === ROUNDS ? median(nativeRounds) : undefined
const opsPerSecond = median(opsRounds)
/** The hash rate of a kernel doing nothing but its SIMD operations, at `ops` operations per second. */
const hashRateAt = (ops: number): number => ops / opsPerStep * SHA256D_NONCES_PER_STEP
const ceilingRate = hashRateAt(opsPerSecond)
const noSha = noShaRounds.length === ROUNDS ? median(noShaRounds) : undefined

const perNonce = rate(count => {
  for (let nonce = 0; nonce < count; nonce++) {
    header.writeUInt32LE(nonce, 76)
    createHash('sha256').update(createHash('sha256').update(header).digest()).digest()
  }
}, 10_000)

const message = randomBytes(32)
const schnorrKey = schnorr.utils.randomSecretKey()
const schnorrPublic = schnorr.getPublicKey(schnorrKey)
const schnorrSignature = schnorr.sign(message, schnorrKey)
const edKey = newSecretKey()
const edPublic = publicKeyOf(edKey)
const edSignature = signMessage(message, edKey)
const schnorrRounds: number[] = []
const edRounds: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  schnorrRounds.push(rate(count => { for (let i = 0; i < count; i++) schnorr.verify(schnorrSignature, message, schnorrPublic) }, 50, SECONDS / 2))
  edRounds.push(rate(count => { for (let i = 0; i < count; i++) verifySignature(edSignature, message, edPublic) }, 500, SECONDS / 2))
}

const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} MH/s`
const spread = (values: number[], show: (n: number) => string): string => `(rounds ${[...values].sort((a, b) => a - b).map(show).join(', ')})`
const perSecond = (n: number): string => `${Math.round(n)}`
console.log(`ledger hash loop, one core, median of ${ROUNDS} interleaved rounds of ${SECONDS} s each:`)
if (native === undefined) console.log('  openssl not found: no native figure')
else console.log(`  native midstate loop (openssl speed -evp sha256, ${OPENSSL_BLOCK} B blocks, 2 compressions/nonce)  ${fmt(native)}  ${spread(nativeRounds, fmt)}`)
console.log(`  miner's WebAssembly SIMD kernel (${SHA256D_NONCES_PER_STEP} nonces per step, midstate)                ${fmt(kernel)}${native === undefined ? '' : `  ratio ${(kernel / native).toFixed(2)} of native`}  ${spread(kernelRounds, fmt)}`)
if (native !== undefined) console.log(`  ratio per round (kernel / native of the same round): ${kernelRounds.map((k, i) => (k / nativeRounds[i]!).toFixed(2)).join(', ')}`)
const gops = (n: number): string => `${(n / 1e9).toFixed(2)} G ops/s`
console.log(`  ceiling for any 128-bit WebAssembly SIMD kernel: ${opsPerStep} SHA-256 operations per ${SHA256D_NONCES_PER_STEP} nonces at ${gops(opsPerSecond)} = ${fmt(ceilingRate)}${native === undefined ? '' : `, ratio ${(ceilingRate / native).toFixed(2)} of native`}  ${spread(opsRounds, gops)}`)
console.log(`    the kernel runs at ${(kernel / ceilingRate).toFixed(2)} of that ceiling; per round ${kernelRounds.map((k, i) => (k / hashRateAt(opsRounds[i]!)).toFixed(2)).join(', ')}`)
console.log(`    operations per step: ${Object.entries(SHA256D_SIMD_OPS_PER_STEP).filter(([, n]) => n > 0).map(([op, n]) => `${op} ${n}`).join(', ')}`)
if (noSha !== undefined && native !== undefined) console.log(`  context, not the baseline: openssl without SHA-NI (OPENSSL_ia32cap=${WITHOUT_SHA_NI})  ${fmt(noSha)}  ${(noSha / native).toFixed(2)} of SHA-NI's; kernel ratio ${(kernel / noSha).toFixed(2)} of it  ${spread(noShaRounds, fmt)}`)
console.log(`  node:crypto createHash per nonce                                              ${fmt(perNonce)}${native === undefined ? '' : `  ratio ${(perNonce / native).toFixed(2)} of native`}`)
console.log(`signature verifications, one core, median of ${ROUNDS} rounds of ${SECONDS / 2} s:`)
console.log(`  Ed25519 through node:crypto (the ledger's scheme)                             ${perSecond(median(edRounds))} /s  ${spread(edRounds, perSecond)}`)
console.log(`  BIP340 Schnorr through @noble/curves (the scheme it replaced)                 ${perSecond(median(schnorrRounds))} /s  ${spread(schnorrRounds, perSecond)}  Ed25519 ×${(median(edRounds) / median(schnorrRounds)).toFixed(1)} faster`)
