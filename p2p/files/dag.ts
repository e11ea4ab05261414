// A file's UnixFS DAG (as ipfs-unixfs-importer builds it: raw leaves, dag-pb inner nodes) read back
// into the list of its leaves. Pure: the inner blocks come in a map, already fetched.
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { identity } from 'multiformats/hashes/identity'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { FilesError } from './errors.ts'

/** The largest leaf we fetch or serve; the importer cuts 256 KiB. */
export const MAX_LEAF_BYTES = 1024 * 1024
/** Inner nodes of one file: 174 links each, so this covers files far beyond a terabyte. */
export const MAX_INNER_BLOCKS = 65_536
const MAX_DEPTH = 8

export interface Leaf {
  cid: CID
  offset: number
  size: number
}

export interface FileLayout {
  root: CID
  size: number
  leaves: Leaf[]
  /** The dag-pb blocks between root and leaves, root first (empty when the root is itself a raw leaf). */
  inner: CID[]
}

export function parseCid (text: string): CID {
  let cid: CID
  try {
    cid = CID.parse(text)
  } catch (err) {
    throw new FilesError('bad-cid', `"${text.slice(0, 100)}" is not a content id: ${(err as Error).message}`)
  }
  if (cid.code !== raw.code && cid.code !== dagPb.code) throw new FilesError('unsupported-layout', `${text} is neither a raw block nor a UnixFS file`)
  return cid.toV1()
}

function sha256Of (bytes: Uint8Array): ReturnType<typeof CID.createV1>['multihash'] {
  // multiformats hashes with node:crypto here, synchronously; a browser build would return a promise.
  const digest = sha256.digest(bytes)
  if (digest instanceof Promise) throw new Error('sha2-256 must hash synchronously in this runtime')
  return digest
}

/** True when bytes hash to cid (sha2-256, the only hash we accept). */
export function blockMatches (cid: CID, bytes: Uint8Array): boolean {
  return piecesMatch(cid, [bytes])
}

/** True when the pieces, joined, hash to cid: a chunk is checked as it arrived, without joining it. */
export function piecesMatch (cid: CID, pieces: Iterable<Uint8Array>): boolean {
  if (cid.multihash.code !== sha256.code) return false
  const hash = createHash('sha256')
  for (const piece of pieces) hash.update(piece)
  const actual = hash.digest()
  const expected = cid.multihash.digest
  if (expected.length !== actual.length) return false
  for (let i = 0; i < expected.length; i++) if (expected[i] !== actual[i]) return false
  return true
}

/** The bytes of a file whose CID holds them itself (raw codec, identity hash, e.g. `bafkqaaa`); else undefined. */
export function inlineBytes (cid: CID): Uint8Array | undefined {
  return cid.code === raw.code && cid.multihash.code === identity.code ? cid.multihash.digest : undefined
}

/** The CID a dag-pb block of these bytes has. */
export function innerBlockCid (bytes: Uint8Array): CID {
  return CID.createV1(dagPb.code, sha256Of(bytes))
}

/**
 * Walks root → leaves through `blocks` (keyed by CID string, each already checked against its CID).
 * `rawRootSize` is the size of a file that is one raw leaf (its root), which no block describes.
 */
export function layoutOf (root: CID, blocks: ReadonlyMap<string, Uint8Array>, rawRootSize?: number): FileLayout {
  if (root.code === raw.code) {
    if (rawRootSize === undefined || !Number.isSafeInteger(rawRootSize) || rawRootSize < 0 || rawRootSize > MAX_LEAF_BYTES) {
      throw new FilesError('bad-manifest', `a single-block file needs a size between 0 and ${MAX_LEAF_BYTES}`)
    }
    return { root, size: rawRootSize, leaves: [{ cid: root, offset: 0, size: rawRootSize }], inner: [] }
  }
  const leaves: Leaf[] = []
  const inner: CID[] = []
  let offset = 0

  const visit = (cid: CID, expectedSize: number | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) throw new FilesError('unsupported-layout', `DAG deeper than ${MAX_DEPTH}`)
    const bytes = blocks.get(cid.toString())
    if (bytes === undefined) throw new FilesError('bad-manifest', `the manifest lacks block ${cid.toString()}`)
    if (inner.length >= MAX_INNER_BLOCKS) throw new FilesError('too-large', `more than ${MAX_INNER_BLOCKS} inner blocks`)
    inner.push(cid)
    let node: dagPb.PBNode
    let unixfs: UnixFS
    try {
      node = dagPb.decode(bytes)
      if (node.Data === undefined) throw new Error('no UnixFS data')
      unixfs = UnixFS.unmarshal(node.Data)
    } catch (err) {
      throw new FilesError('bad-manifest', `block ${cid.toString()} is not a UnixFS node: ${(err as Error).message}`)
    }
    if (unixfs.type !== 'file') throw new FilesError('unsupported-layout', `block ${cid.toString()} is a ${unixfs.type}, not a file`)
    if (unixfs.data !== undefined && unixfs.data.length > 0) throw new FilesError('unsupported-layout', 'file data inside inner nodes (import with raw leaves)')
    if (unixfs.blockSizes.length !== node.Links.length) throw new FilesError('bad-manifest', `block ${cid.toString()}: ${node.Links.length} links but ${unixfs.blockSizes.length} sizes`)
    const total = Number(unixfs.fileSize())
    if (expectedSize !== undefined && total !== expectedSize) throw new FilesError('bad-manifest', `block ${cid.toString()} holds ${total} bytes, its parent says ${expectedSize}`)
    node.Links.forEach((link, i) => {
      const size = Number(unixfs.blockSizes[i])
      if (link.Hash.code === raw.code) {
        if (size > MAX_LEAF_BYTES) throw new FilesError('unsupported-layout', `a leaf of ${size} bytes (limit ${MAX_LEAF_BYTES})`)
        leaves.push({ cid: link.Hash, offset, size })
        offset += size
      } else if (link.Hash.code === dagPb.code) {
        visit(link.Hash, size, depth + 1)
      } else {
        throw new FilesError('unsupported-layout', `a link with codec 0x${link.Hash.code.toString(16)}`)
      }
    })
  }
  visit(root, undefined, 0)
  return { root, size: offset, leaves, inner }
}
