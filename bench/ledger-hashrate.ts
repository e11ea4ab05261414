// Hashes per second of the ledger's proof-of-work loop on one core, beside the native figure from the
// same run: `openssl speed -evp sha256` on 16 kB blocks gives SHA-256 compressions per second (SHA-NI
// where the CPU has it), and a native midstate loop costs two compressions per nonce. Also node:crypto's
// createHash per nonce, and Schnorr signature verifications per second. All figures per CPU-second.
// Run: npm run bench:ledger   (BENCH_SECONDS per figure, default 2)
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { searchNonces, targetWords } from '../p2p/ledger/miner/sha256d-kernel.ts'
import { schnorr } from '@noble/curves/secp256k1.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const OPENSSL_BLOCK = 16_384

const cpuSeconds = (): number => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6 }

/**
 * Operations per CPU-second of this process, as openssl speed divides by CPU time: on a machine shared
 * with other work, wall time would measure the neighbours.
 */
function rate (run: (count: number) => void, count: number): number {
  run(count)
  const start = cpuSeconds()
  let done = 0
  while (cpuSeconds() - start < SECONDS) {
    run(count)
    done += count
  }
  return done / (cpuSeconds() - start)
}

/** Native double SHA-256 per nonce with a midstate, from openssl's bytes per second; undefined without openssl. */
function opensslNoncesPerSecond (): number | undefined {
  try {
    const out = execFileSync('openssl', ['speed', '-seconds', String(SECONDS), '-bytes', String(OPENSSL_BLOCK), '-evp', 'sha256'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    // Last line: "sha256   1789827.04k" (thousands of bytes per second).
    const kBytes = Number(/([\d.]+)k\s*$/.exec(out.trim())?.[1])
    return Number.isFinite(kBytes) ? kBytes * 1000 / 64 / 2 : undefined
  } catch {
    return undefined
  }
}

const header = randomBytes(80)
// A target no hash meets, so every nonce is tried.
const impossible = targetWords(0n)
let base = 0
const kernel = rate(count => { searchNonces(header, impossible, base, base + count); base += count }, 100_000)
const native = opensslNoncesPerSecond()

const perNonce = rate(count => {
  for (let nonce = 0; nonce < count; nonce++) {
    header.writeUInt32LE(nonce, 76)
    createHash('sha256').update(createHash('sha256').update(header).digest()).digest()
  }
}, 10_000)

const secretKey = schnorr.utils.randomSecretKey()
const message = randomBytes(32)
const publicKey = schnorr.getPublicKey(secretKey)
const signature = schnorr.sign(message, secretKey)
const verifies = rate(count => { for (let i = 0; i < count; i++) schnorr.verify(signature, message, publicKey) }, 50)

const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} MH/s`
console.log(`ledger hash loop, one core, ${SECONDS} s each:`)
if (native === undefined) console.log('  openssl not found: no native figure')
else console.log(`  native midstate loop (openssl speed -evp sha256, ${OPENSSL_BLOCK} B blocks, 2 compressions/nonce)  ${fmt(native)}`)
console.log(`  miner's WebAssembly SIMD kernel (4 nonces per step, midstate)                ${fmt(kernel)}${native === undefined ? '' : `  ratio ${(kernel / native).toFixed(2)} of native`}`)
console.log(`  node:crypto createHash per nonce                                              ${fmt(perNonce)}${native === undefined ? '' : `  ratio ${(perNonce / native).toFixed(2)} of native`}`)
console.log(`Schnorr (BIP340) signature verifications, one core                              ${Math.round(verifies)} /s`)
