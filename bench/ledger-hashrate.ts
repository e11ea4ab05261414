// Hashes per second of the ledger's proof-of-work loop on one core, beside the native figure from the
// same run: `openssl speed -evp sha256` on 16 kB blocks gives SHA-256 compressions per second (SHA-NI
// where the CPU has it), and a native midstate loop costs two compressions per nonce. Each side runs 5
// rounds, interleaved, and the median of each is printed: on this shared 2-core machine single rounds
// ranged 0.34–0.59 of native as the neighbours' load came and went. Also node:crypto's createHash per
// nonce, and signature verifications per second: the ledger's Ed25519 (node:crypto) beside the BIP340
// Schnorr of @noble/curves it replaced. All figures per CPU-second.
// Run: npm run bench:ledger   (BENCH_SECONDS per round, default 2; BENCH_ROUNDS, default 5)
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { searchNonces, targetWords } from '../p2p/ledger/miner/sha256d-kernel.ts'
import { schnorr } from '@noble/curves/secp256k1.js'
import { newSecretKey, publicKeyOf } from '../p2p/ledger/rules/address.ts'
import { signMessage, verifySignature } from '../p2p/ledger/rules/signature.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const OPENSSL_BLOCK = 16_384

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

/** Native double SHA-256 per nonce with a midstate, from openssl's bytes per second; undefined without openssl. */
function opensslNoncesPerSecond (): number | undefined {
  try {
    const out = execFileSync('openssl', ['speed', '-seconds', String(Math.max(1, Math.round(SECONDS))), '-bytes', String(OPENSSL_BLOCK), '-evp', 'sha256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
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
const kernelRounds: number[] = []
const nativeRounds: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  kernelRounds.push(rate(count => { searchNonces(header, impossible, base, base + count); base += count }, 100_000))
  const native = opensslNoncesPerSecond()
  if (native !== undefined) nativeRounds.push(native)
}
const kernel = median(kernelRounds)
const native = nativeRounds.length === ROUNDS ? median(nativeRounds) : undefined

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
console.log(`  miner's WebAssembly SIMD kernel (4 nonces per step, midstate)                ${fmt(kernel)}${native === undefined ? '' : `  ratio ${(kernel / native).toFixed(2)} of native`}  ${spread(kernelRounds, fmt)}`)
if (native !== undefined) console.log(`  ratio per round (kernel / native of the same round): ${kernelRounds.map((k, i) => (k / nativeRounds[i]!).toFixed(2)).join(', ')}`)
console.log(`  node:crypto createHash per nonce                                              ${fmt(perNonce)}${native === undefined ? '' : `  ratio ${(perNonce / native).toFixed(2)} of native`}`)
console.log(`signature verifications, one core, median of ${ROUNDS} rounds of ${SECONDS / 2} s:`)
console.log(`  Ed25519 through node:crypto (the ledger's scheme)                             ${perSecond(median(edRounds))} /s  ${spread(edRounds, perSecond)}`)
console.log(`  BIP340 Schnorr through @noble/curves (the scheme it replaced)                 ${perSecond(median(schnorrRounds))} /s  ${spread(schnorrRounds, perSecond)}  Ed25519 ×${(median(edRounds) / median(schnorrRounds)).toFixed(1)} faster`)
