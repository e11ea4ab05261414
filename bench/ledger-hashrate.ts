// Hashes per second of the ledger's proof-of-work loop on one core, beside node:crypto's createHash
// per nonce (the baseline), measured in the same run. Also: Schnorr signature verifications per second.
// Run: npm run bench:ledger
import { createHash, randomBytes } from 'node:crypto'
import { searchNonces, targetWords } from '../p2p/ledger/miner/sha256d-kernel.ts'
import { schnorr } from '@noble/curves/secp256k1.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)

function rate (run: (count: number) => void): number {
  let count = 10_000
  run(count)
  const start = performance.now()
  let done = 0
  while (performance.now() - start < SECONDS * 1000) {
    run(count)
    done += count
  }
  return done / ((performance.now() - start) / 1000)
}

const header = randomBytes(80)
// A target no hash meets, so every nonce is tried.
const impossible = targetWords(0n)
let base = 0

const kernel = rate(count => { searchNonces(header, impossible, base, base + count); base += count })

const perNonce = rate(count => {
  for (let nonce = 0; nonce < count; nonce++) {
    header.writeUInt32LE(nonce, 76)
    createHash('sha256').update(createHash('sha256').update(header).digest()).digest()
  }
})

const midstate = createHash('sha256').update(header.subarray(0, 64))
const copied = rate(count => {
  for (let nonce = 0; nonce < count; nonce++) {
    header.writeUInt32LE(nonce, 76)
    createHash('sha256').update(midstate.copy().update(header.subarray(64)).digest()).digest()
  }
})

const secretKey = schnorr.utils.randomSecretKey()
const message = randomBytes(32)
const publicKey = schnorr.getPublicKey(secretKey)
const signature = schnorr.sign(message, secretKey)
const verifies = rate(count => { for (let i = 0; i < count / 100; i++) schnorr.verify(signature, message, publicKey) })

const fmt = (n: number): string => `${(n / 1e6).toFixed(3)} M/s`
console.log(`ledger hash loop, one core, ${SECONDS} s each:`)
console.log(`  createHash per nonce (baseline)        ${fmt(perNonce)}`)
console.log(`  createHash with midstate copy()        ${fmt(copied)}  ×${(copied / perNonce).toFixed(2)}`)
console.log(`  JS midstate kernel (the miner's loop)  ${fmt(kernel)}  ×${(kernel / perNonce).toFixed(2)}`)
console.log(`Schnorr (BIP340) verifications           ${Math.round(verifies / 100)} /s`)
