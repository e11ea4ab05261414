// The files capability's pure rules: links, DAG layout checks, the chunk plan, rates and caps, scores.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { importBytes } from 'ipfs-unixfs-importer'
import { MemoryBlockstore } from 'blockstore-core'
import * as dagPb from '@ipld/dag-pb'
import { formatLink, parseLink } from '../../../p2p/files/link.ts'
import { blockMatches, innerBlockCid, layoutOf, parseCid } from '../../../p2p/files/dag.ts'
import { DownloadPlan } from '../../../p2p/files/plan.ts'
import { Bitset } from '../../../p2p/files/bitset.ts'
import { RateLimit, RateMeter, etaSeconds } from '../../../p2p/files/meter.ts'
import { ProviderScores } from '../../../p2p/files/scores.ts'
import { FilesError } from '../../../p2p/files/errors.ts'

const CID_TEXT = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
const isFilesError = (code: string) => (err: unknown) => err instanceof FilesError && err.code === code

test('a share link round-trips name, size and key; a bare CID is a link too', () => {
  const key = 'A'.repeat(43)
  const text = formatLink({ cid: parseCid(CID_TEXT), name: 'a b&c.txt', size: 12, key })
  assert.equal(text, `tidepool://${CID_TEXT}?name=a+b%26c.txt&size=12#key=${key}`)
  const link = parseLink(text)
  assert.deepEqual({ cid: link.cid.toString(), name: link.name, size: link.size, key: link.key }, { cid: CID_TEXT, name: 'a b&c.txt', size: 12, key })
  assert.equal(parseLink(`  ${CID_TEXT} `).cid.toString(), CID_TEXT)
})

test('bad links are refused with a reason', () => {
  assert.throws(() => parseLink('tidepool://not-a-cid'), isFilesError('bad-cid'))
  assert.throws(() => parseLink(`tidepool://${CID_TEXT}?size=-1`), isFilesError('bad-link'))
  assert.throws(() => parseLink(`tidepool://${CID_TEXT}#key=short`), isFilesError('bad-link'))
  assert.throws(() => parseLink('bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'), isFilesError('unsupported-layout')) // dag-cbor
})

test('a layout is read from verified inner blocks; a missing or foreign block is refused', async () => {
  const blocks = new Map<string, Uint8Array>()
  const bytes = randomBytes(5 * 262_144 + 10)
  const { cid } = await importBytes(bytes, { put: (key, block) => { assert.ok(block instanceof Uint8Array); blocks.set(key.toString(), block); return key } })
  const rootBytes = blocks.get(cid.toString())!
  assert.ok(blockMatches(cid, rootBytes))
  assert.ok(innerBlockCid(rootBytes).equals(cid))
  const layout = layoutOf(cid, new Map([[cid.toString(), rootBytes]]))
  assert.equal(layout.size, bytes.length)
  assert.deepEqual(layout.leaves.map(l => l.size), [262_144, 262_144, 262_144, 262_144, 262_144, 10])
  assert.deepEqual(layout.leaves.map(l => l.offset), [0, 1, 2, 3, 4, 5].map(i => i * 262_144))
  assert.throws(() => layoutOf(cid, new Map()), isFilesError('bad-manifest'))
  // A node whose sizes don't add up to what its links claim.
  const node = dagPb.decode(rootBytes)
  const liar = dagPb.encode({ ...node, Links: node.Links.slice(1) })
  assert.throws(() => layoutOf(innerBlockCid(liar), new Map([[innerBlockCid(liar).toString(), liar]])), isFilesError('bad-manifest'))
  assert.ok(!blockMatches(layout.leaves[0]!.cid, bytes.subarray(1, 262_145)))
})

test('a single-block file needs a plausible size', async () => {
  const { cid } = await importBytes(new Uint8Array(10), new MemoryBlockstore())
  assert.equal(layoutOf(cid, new Map(), 10).leaves.length, 1)
  assert.throws(() => layoutOf(cid, new Map(), 2 * 1024 * 1024), isFilesError('bad-manifest'))
})

test('the plan hands out disjoint runs, takes back a failed provider\'s claims, and completes', () => {
  const plan = new DownloadPlan(10)
  const a = plan.claim('A', 4)
  const b = plan.claim('B', 4)
  assert.deepEqual(a, [0, 1, 2, 3])
  assert.deepEqual(b, [4, 5, 6, 7])
  plan.done(0); plan.done(1)
  plan.release('A')
  assert.deepEqual(plan.claim('B', 8), [2, 3])
  assert.deepEqual(plan.claim('B', 8), [8, 9])
  assert.deepEqual(plan.claim('C', 8), [])
  for (const i of [2, 3, 4, 5, 6, 7, 8, 9]) plan.done(i)
  assert.ok(plan.complete)
  assert.equal(plan.inFlight, 0)
})

test('a resumed plan skips the chunks already verified', () => {
  const have = new Bitset(6)
  have.set(0); have.set(1); have.set(4)
  const plan = new DownloadPlan(6, new Bitset(6, have.bytes))
  assert.deepEqual(plan.claim('A', 10), [2, 3])
  assert.deepEqual(plan.claim('A', 10), [5])
})

test('rate, ETA and the rate cap follow the clock they are given', () => {
  const meter = new RateMeter()
  meter.add(1_000_000, 0)
  meter.add(1_000_000, 1000)
  assert.equal(meter.rate(2000), 0, 'no rate over 1 s')
  meter.add(1_000_000, 2000)
  assert.equal(meter.rate(2000), 1_000_000)
  assert.equal(meter.rate(60_000), 0)
  assert.equal(etaSeconds(5_000_000, 1_000_000), 5)
  assert.equal(etaSeconds(5, 0), null)
  const cap = new RateLimit(1000, 0)
  assert.equal(cap.wait(0), 0)
  cap.take(2000, 0)
  assert.equal(cap.wait(0), 2000)
  assert.equal(cap.wait(1500), 500)
  assert.equal(cap.wait(2000), 0)
})

test('a provider that lied ranks below ones that failed or are new', () => {
  const scores = new ProviderScores()
  scores.goodChunk('good')
  scores.badChunk('liar')
  scores.failed('flaky')
  assert.deepEqual(scores.rank(['liar', 'flaky', 'new', 'good']), ['good', 'new', 'flaky', 'liar'])
})
