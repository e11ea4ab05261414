// The miner's WebAssembly SIMD kernel against independent double SHA-256s (node:crypto and
// @noble/hashes): every lane, nonce-range edges, the found-nonce path and the full target comparison.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { sha256 } from '@noble/hashes/sha2.js'
import wabt from 'wabt'
import { kernelHash, searchNonces, targetWords } from '../../../p2p/ledger/miner/sha256d-kernel.ts'
import { SHA256D_NONCES_PER_STEP, SHA256D_SIMD_OPS_PER_STEP, SHA256D_WASM_BASE64 } from '../../../p2p/ledger/miner/sha256d-wasm.ts'

const sha256d = (data: Uint8Array): Buffer => createHash('sha256').update(createHash('sha256').update(data).digest()).digest()
const nobleSha256d = (data: Uint8Array): Uint8Array => sha256(sha256(data))
const withNonce = (header: Uint8Array, nonce: number): Buffer => {
  const copy = Buffer.from(header)
  copy.writeUInt32LE(nonce, 76)
  return copy
}
const asNumber = (hash: Uint8Array): bigint => BigInt('0x' + Buffer.from(hash).toString('hex'))

/** The first nonce in [from, to) whose hash is at most the target, by brute force with @noble/hashes. */
function bruteForce (header: Uint8Array, target: bigint, from: number, to: number): number {
  for (let nonce = from; nonce < to; nonce++) {
    if (asNumber(nobleSha256d(withNonce(header, nonce))) <= target) return nonce
  }
  return -1
}

test('the kernel hashes like node:crypto and @noble/hashes, whatever the header and the nonce', () => {
  const edges = [0, 1, 2, 3, 4, 5, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff]
  for (let i = 0; i < 300; i++) {
    const header = randomBytes(80)
    for (const nonce of [...edges, header.readUInt32LE(76), randomBytes(4).readUInt32LE(0)]) {
      const expected = sha256d(withNonce(header, nonce))
      const got = Buffer.from(kernelHash(header, nonce))
      assert.equal(got.toString('hex'), expected.toString('hex'), `header ${header.toString('hex')} nonce ${nonce}`)
    }
    assert.deepEqual(kernelHash(header, i), nobleSha256d(withNonce(header, i)))
  }
})

test('the kernel finds the first nonce under the target, in every lane and from unaligned ranges', () => {
  for (const bits of [255n, 252n, 249n, 246n]) {
    const target = (1n << bits) - 1n
    for (let i = 0; i < 12; i++) {
      const header = randomBytes(80)
      const from = randomBytes(2).readUInt16LE(0)
      const to = from + 1 + (i * 37) % 600
      assert.equal(searchNonces(header, targetWords(target), from, to), bruteForce(header, target, from, to), `2^${bits}, [${from}, ${to})`)
    }
  }
})

test('a hash equal to the target meets it and one a unit above does not: the comparison reads all eight words', () => {
  for (let i = 0; i < 40; i++) {
    const header = randomBytes(80)
    const nonce = 1000 + i
    const hash = asNumber(sha256d(withNonce(header, nonce)))
    // The same first word (the kernel's pre-screen passes), decided by the later words.
    assert.equal(searchNonces(header, targetWords(hash), nonce, nonce + 1), nonce)
    assert.equal(searchNonces(header, targetWords(hash - 1n), nonce, nonce + 1), -1)
    const lowWords = hash & ((1n << 224n) - 1n)
    if (lowWords > 0n) assert.equal(searchNonces(header, targetWords(hash - lowWords), nonce, nonce + 1), -1)
    // Lanes past `to` are hashed but never reported.
    assert.equal(searchNonces(header, targetWords(hash), nonce - 2, nonce), bruteForce(header, hash, nonce - 2, nonce))
  }
})

/**
 * A random header and nonce range [from, from + span) in which nonce from + at has the strictly lowest
 * hash, and that hash: as a target, only that nonce meets it.
 */
function lowestAt (at: number, span: number): { header: Buffer, from: number, hash: bigint } {
  for (;;) {
    const header = randomBytes(80)
    const from = randomBytes(2).readUInt16LE(0)
    const hashes = Array.from({ length: span }, (_, i) => asNumber(sha256d(withNonce(header, from + i))))
    if (hashes.every((h, i) => i === at || h > hashes[at]!)) return { header, from, hash: hashes[at]! }
  }
}

test(`each of the ${SHA256D_NONCES_PER_STEP} nonces of a step reports its own hit, and one past the range never does`, () => {
  assert.equal(SHA256D_NONCES_PER_STEP, 8)
  for (let lane = 0; lane < SHA256D_NONCES_PER_STEP; lane++) {
    const { header, from, hash } = lowestAt(lane, SHA256D_NONCES_PER_STEP)
    assert.equal(searchNonces(header, targetWords(hash), from, from + SHA256D_NONCES_PER_STEP), from + lane, `lane ${lane}`)
    // A range ending just before it (not a whole step): the kernel hashes the nonce but it isn't reported.
    assert.equal(searchNonces(header, targetWords(hash), from, from + lane), -1, `lane ${lane}, range ${lane}`)
  }
})

test('a target met only by the last nonce of a range is found, whatever the range\'s length', () => {
  for (let length = 1; length <= 2 * SHA256D_NONCES_PER_STEP + 1; length++) {
    const { header, from, hash } = lowestAt(length - 1, length + SHA256D_NONCES_PER_STEP)
    assert.equal(searchNonces(header, targetWords(hash), from, from + length), from + length - 1, `length ${length}`)
    assert.equal(searchNonces(header, targetWords(hash), from, from + length - 1), -1, `length ${length} - 1`)
  }
})

test('the kernel stops at the end of the nonce space without wrapping around, and finds nothing under an impossible target', () => {
  const header = randomBytes(80)
  const top = 2 ** 32
  assert.equal(searchNonces(header, targetWords((1n << 256n) - 1n), top - 3, top), top - 3)
  assert.equal(searchNonces(header, targetWords(0n), top - 4096, top), -1)
  assert.equal(searchNonces(header, targetWords(0n), 0, 100_000), -1)
  assert.equal(searchNonces(header, targetWords((1n << 256n) - 1n), 7, 7), -1)
})

test('the committed kernel is what scripts/build-sha256d-wasm.ts generates', () => {
  const script = fileURLToPath(new URL('../../../scripts/build-sha256d-wasm.ts', import.meta.url))
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
})

/**
 * How many times a loop of the rounds runs, read from its shape: a counter from 0, stepped by S, while
 * below N. Anything else fails, so a changed loop can't be miscounted silently.
 */
function loopTrips (lines: string[], loop: number): number {
  let depth = 0
  let end = loop
  do {
    if (/^(block|loop|if)\b/.test(lines[end]!)) depth++
    else if (lines[end] === 'end') depth--
    end++
  } while (depth > 0)
  const tail = lines.slice(end - 8, end - 1).join('; ')
  const shape = /^i32\.const (\d+); i32\.add; local\.set (\d+); local\.get \2; i32\.const (\d+); i32\.lt_u; br_if 0\b/.exec(tail)
  assert.ok(shape !== null && lines[loop - 2] === 'i32.const 0' && lines[loop - 1] === `local.set ${shape[2]}`, `unexpected loop shape: ${tail}`)
  return Number(shape[3]) / Number(shape[1])
}

test('the operation count bench:ledger divides by is what the committed kernel runs per step', async () => {
  // Counted again from the binary, not from the generator's WAT: the nonce loop's body once, each loop
  // inside it as often as it runs, the hit path (the `if`) not at all.
  const module = (await wabt()).readWasm(Buffer.from(SHA256D_WASM_BASE64, 'base64'), { simd: true })
  const text = module.toText({ foldExprs: false, inlineExport: false })
  module.destroy()
  const lines = text.split('\n').map(line => line.trim())
  const search = /\(export "search" \(func (\d+)\)\)/.exec(text)![1]
  const counts: Record<string, number> = Object.fromEntries(Object.keys(SHA256D_SIMD_OPS_PER_STEP).map(op => [op, 0]))
  const times: number[] = []
  let stepLoop = false
  for (let i = lines.findIndex(line => line.startsWith(`(func (;${search};)`)) + 1; i < lines.length && !lines[i]!.startsWith('(func'); i++) {
    const op = lines[i]!.split(/\s/)[0]!
    const now = times.at(-1) ?? 0
    if (op === 'block') times.push(now)
    else if (op === 'if') times.push(0)
    else if (op === 'loop') {
      times.push(stepLoop ? now * loopTrips(lines, i) : 1)
      stepLoop = true
    } else if (op === 'end') times.pop()
    else if (op in counts) counts[op]! += now
  }
  // The step's nonces (from + i + [0 1 2 3], + [4 5 6 7]) are an add per stream of four, not SHA-256's;
  // the streams' comparisons are joined by an or.
  const streams = SHA256D_NONCES_PER_STEP / 4
  assert.deepEqual(counts, { ...SHA256D_SIMD_OPS_PER_STEP, 'i32x4.add': SHA256D_SIMD_OPS_PER_STEP['i32x4.add'] + streams, 'v128.or': SHA256D_SIMD_OPS_PER_STEP['v128.or'] + streams - 1 })
})
