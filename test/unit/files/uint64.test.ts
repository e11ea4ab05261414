// Sizes of 2–4 GiB: protons-runtime writes uint64 varints in [2^31, 2^32) wrongly, which broke the root of
// a "4 GB" file. uint64-fix.ts mends the writer; these check the encoding against varints made by hand.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importer } from 'ipfs-unixfs-importer'
import * as raw from 'multiformats/codecs/raw'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import '../../../p2p/files/uint64-fix.ts'
import { layoutOf } from '../../../p2p/files/dag.ts'

const SIZES = [2n ** 31n - 1n, 2n ** 31n, 3n * 2n ** 30n, 4_000_000_000n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 40n + 3n]

/** A protobuf varint, written the plain way (7 bits a byte, low first). */
function varint (value: bigint): number[] {
  const out: number[] = []
  while (value >= 0x80n) { out.push(Number(value & 0x7fn) | 0x80); value >>= 7n }
  out.push(Number(value))
  return out
}

test('a UnixFS node with sizes around 2^31 and 2^32 encodes as protobuf says and decodes back equal', () => {
  for (const size of SIZES) {
    const bytes = new UnixFS({ type: 'file', blockSizes: [size, 5n] }).marshal()
    // Type = file (field 1), filesize (field 3), then blocksizes (field 4), each a varint.
    assert.deepEqual([...bytes], [0x08, 0x02, 0x18, ...varint(size + 5n), 0x20, ...varint(size), 0x20, 0x05], `encoding of ${size}`)
    const back = UnixFS.unmarshal(bytes)
    assert.deepEqual(back.blockSizes, [size, 5n])
    assert.equal(back.fileSize(), size + 5n)
  }
})

test('a dag-pb link keeps a Tsize around 2^31 and 2^32', () => {
  const hash = CID.parse('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
  for (const size of SIZES.filter(s => s <= BigInt(Number.MAX_SAFE_INTEGER))) {
    const node = dagPb.decode(dagPb.encode({ Data: new Uint8Array([8, 2]), Links: [{ Hash: hash, Name: '', Tsize: Number(size) }] }))
    assert.equal(node.Links[0]!.Tsize, Number(size))
  }
})

test('importing 4 GB (4e9 bytes, between 2^31 and 2^32) gives a root that decodes to its size', async () => {
  const size = 4_000_000_000
  const chunk = new Uint8Array(1024 * 1024)
  async function * zeros (): AsyncGenerator<Uint8Array> {
    for (let sent = 0; sent < size; sent += chunk.byteLength) yield chunk.subarray(0, Math.min(chunk.byteLength, size - sent))
  }
  const inner = new Map<string, Uint8Array>()
  let root: CID | undefined
  const blockstore = { put: (key: CID, bytes: Uint8Array): CID => { if (key.code !== raw.code) inner.set(key.toString(), bytes); return key } }
  for await (const entry of importer([{ content: zeros() }], blockstore)) root = entry.cid.toV1()
  const rootNode = dagPb.decode(inner.get(root!.toString())!)
  // The root's Data starts with type and filesize as varints written by hand.
  assert.deepEqual([...rootNode.Data!.subarray(0, 8)], [0x08, 0x02, 0x18, ...varint(BigInt(size))])
  assert.equal(UnixFS.unmarshal(rootNode.Data!).fileSize(), BigInt(size))
  const layout = layoutOf(root!, inner)
  assert.equal(layout.size, size)
  assert.equal(layout.leaves.length, Math.ceil(size / 262_144))
  assert.equal(layout.leaves.at(-1)!.offset + layout.leaves.at(-1)!.size, size)
})
