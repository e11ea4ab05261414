// The downloading side of the files protocol, for one provider: fetch and check the manifest, then pull
// chunks in pipelined range requests, never more than WINDOW_CHUNKS unreceived (flow control).
import type { PeerInfo } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { TidepoolNode } from '../node/create-node.ts'
import { openStream } from '../node/open-stream.ts'
import { messageChannel, type MessageChannel } from '../wire/index.ts'
import { innerBlockCid, layoutOf, MAX_INNER_BLOCKS, piecesMatch, type FileLayout } from './dag.ts'
import { FilesError } from './errors.ts'
import { CAPPED_RUN_MS, CLIENT_BUFFER_BYTES, ManifestHeader, MAX_FRAME_BYTES, RANGE_CHUNKS, RangeHeader, WINDOW_BYTES } from './protocol.ts'
import type { RateLimit } from './meter.ts'
import type { DownloadPlan } from './plan.ts'

export const DIAL_TIMEOUT_MS = 10_000

export async function openChannel (node: TidepoolNode, provider: PeerInfo, protocol: string, signal: AbortSignal): Promise<MessageChannel> {
  if (provider.multiaddrs.length > 0) await node.peerStore.merge(provider.id, { multiaddrs: provider.multiaddrs })
  // The stream may keep the dial's signal, so the dial timeout is cleared (not fired) once it is open.
  const timeout = new AbortController()
  const timer = setTimeout(() => { timeout.abort(new FilesError('not-found', `no answer from ${provider.id.toString()} in ${DIAL_TIMEOUT_MS} ms`)) }, DIAL_TIMEOUT_MS)
  let stream
  try {
    stream = await openStream(node, provider.id, protocol, { signal: AbortSignal.any([signal, timeout.signal]) })
  } finally {
    clearTimeout(timer)
  }
  return messageChannel(stream, { maxMessageBytes: CLIENT_BUFFER_BYTES })
}

export interface Manifest {
  layout: FileLayout
  /** The inner blocks, each checked against its CID. */
  blocks: Map<string, Uint8Array>
}

/** The provider's manifest of root, verified block by block from the root down; undefined if it lacks the file. */
export async function fetchManifest (channel: MessageChannel, root: CID, signal: AbortSignal): Promise<Manifest | undefined> {
  const options = { signal }
  await channel.write({ type: 'manifest', root: root.toString() }, options)
  const header = await channel.read(ManifestHeader, options)
  if (header.type === 'missing') return undefined
  if (header.blocks > MAX_INNER_BLOCKS) throw new FilesError('bad-manifest', `${header.blocks} inner blocks`)
  const blocks = new Map<string, Uint8Array>()
  for (let i = 0; i < header.blocks; i++) {
    const bytes = await channel.readBytes(options)
    if (bytes.byteLength > MAX_FRAME_BYTES) throw new FilesError('bad-manifest', `a ${bytes.byteLength}-byte inner block`)
    // A block is named by its hash, so a lying provider can only send blocks that the walk below won't reach.
    blocks.set(innerBlockCid(bytes).toString(), bytes)
  }
  return { layout: layoutOf(root, blocks, header.size), blocks }
}

export interface ChunkSink {
  /** Writes verified consecutive chunks, given as the pieces they arrived in; resolves once there is room for more. */
  deliver: (run: number[], pieces: Uint8Array[]) => Promise<void>
  /** Told of each chunk as it arrives verified, before its run is delivered. */
  received?: (bytes: number) => void
  /** A cap on the download's rate, shared by its providers. */
  limit?: RateLimit
}

/**
 * Pulls chunks claimed from plan until nothing is left to claim. Throws FilesError `bad-chunk` when a chunk
 * doesn't match its hash (nothing of it is written), `not-found` when the provider no longer has the file.
 */
export async function pullChunks (channel: MessageChannel, layout: FileLayout, plan: DownloadPlan, provider: string, sink: ChunkSink, signal: AbortSignal): Promise<void> {
  const options = { signal }
  const root = layout.root.toString()
  const requested: number[][] = []
  // Leaves are equal but the last, so a run's size is known before claiming it.
  const leafBytes = Math.max(layout.leaves[0]?.size ?? 0, 1)
  // Under a cap, the wait before a run must stay inside the provider's idle timeout.
  const runChunks = sink.limit === undefined
    ? RANGE_CHUNKS
    : Math.max(1, Math.min(RANGE_CHUNKS, Math.floor(sink.limit.bytesPerSecond * CAPPED_RUN_MS / 1000 / leafBytes)))
  const maxRunBytes = runChunks * leafBytes
  let unreceived = 0
  const fill = async (): Promise<void> => {
    while (unreceived + maxRunBytes <= WINDOW_BYTES) {
      // Under a rate cap, ask for more only when the cap allows; wait only with nothing on the way.
      const wait = sink.limit?.wait(Date.now()) ?? 0
      if (wait > 0) {
        if (requested.length > 0) return
        await new Promise(resolve => setTimeout(resolve, wait))
        signal.throwIfAborted()
      }
      const run = plan.claim(provider, runChunks)
      if (run.length === 0) return
      const runBytes = run.reduce((sum, i) => sum + layout.leaves[i]!.size, 0)
      sink.limit?.take(runBytes, Date.now())
      await channel.write({ type: 'range', root, start: run[0]!, count: run.length }, options)
      requested.push(run)
      unreceived += runBytes
    }
  }
  await fill()
  while (requested.length > 0) {
    const run = requested.shift()!
    const header = await channel.read(RangeHeader, options)
    if (header.type === 'missing') throw new FilesError('not-found', `${provider} no longer shares ${root}`)
    if (header.start !== run[0] || header.count !== run.length) throw new FilesError('bad-chunk', `${provider} answered chunks ${header.start}+${header.count} to a request for ${run[0]!}+${run.length}`)
    // Chunks are hashed as the pieces they came off the wire in (never joined), and a run's chunks, which
    // sit side by side in the file, reach the disk in one write.
    const runPieces: Uint8Array[] = []
    let runBytes = 0
    for (const index of run) {
      const pieces = await channel.readPieces(options)
      const leaf = layout.leaves[index]!
      if (pieces.reduce((sum, p) => sum + p.byteLength, 0) !== leaf.size || !piecesMatch(leaf.cid, pieces)) {
        throw new FilesError('bad-chunk', `chunk ${index} from ${provider} does not match its hash`)
      }
      runPieces.push(...pieces)
      runBytes += leaf.size
      sink.received?.(leaf.size)
    }
    await sink.deliver(run, runPieces)
    unreceived -= runBytes
    await fill()
  }
}
