// One benchmark peer (a child of bench/files-throughput.ts): a real Tidepool peer plus a plain libp2p
// protocol that moves raw bytes over the same kind of connection, for the baseline. Commands come over IPC.
import { tmpdir } from 'node:os'
import { createHash } from 'node:crypto'
import { open, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { parseConfig } from '../p2p/config.ts'
import { runTidepool } from '../p2p/cli.ts'
import { WriteQueue } from '../p2p/files/write-queue.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

const BLAST_PROTOCOL = '/tidepool-bench/blast/1.0.0'
const BLAST_CHUNK = 256 * 1024
/** As the files protocol: 256 KiB leaves, disk reads and writes of 2 MiB. */
const LEAF_BYTES = 256 * 1024
const IO_BATCH = 2 * 1024 * 1024

const [dataDir, network, ...bootstrap] = process.argv.slice(2)
const config = parseConfig(['--headless', '--no-mdns', '--network', network!, '--data-dir', dataDir!, '--listen', '/ip4/127.0.0.1/tcp/0',
  ...bootstrap.flatMap(b => ['--bootstrap', b])], { platform: process.platform, env: {}, home: tmpdir() })
const running = await runTidepool(config, { info: m => { if (process.env.BENCH_VERBOSE !== undefined) process.stderr.write(m + '\n') }, error: m => { process.stderr.write(m + '\n') }, close: async () => {} })
const node = running.peer.node

// The baseline: the dialer says how many bytes (and, after them, a file to send them from); the listener
// sends them and closes.
await node.handle(BLAST_PROTOCOL, async stream => {
  let header: Uint8Array | undefined
  for await (const chunk of stream) { header = chunk.subarray(); break }
  const send = async (piece: Uint8Array): Promise<void> => { if (!stream.send(piece)) await stream.onDrain() }
  if (header!.byteLength > 8) await sendFile(new TextDecoder().decode(header!.subarray(8)), send)
  else await sendCounted(header!, send)
  await stream.close()
})

/** The disk side of a provider's work without its protocol: the file in 2 MiB reads, each one send. */
async function sendFile (path: string, send: (piece: Uint8Array) => Promise<void>): Promise<void> {
  const file = await open(path, 'r')
  try {
    for (let offset = 0; ; offset += IO_BATCH) {
      const { bytesRead, buffer } = await file.read(Buffer.allocUnsafe(IO_BATCH), 0, IO_BATCH, offset)
      if (bytesRead === 0) return
      await send(buffer.subarray(0, bytesRead))
    }
  } finally { await file.close() }
}

/**
 * The disk and hash side of a downloader's work without its protocol: SHA-256 of every 256 KiB chunk as
 * its pieces arrive, a positional writev per 2 MiB received, one fsync at the end.
 */
class HashingSink {
  private hash = createHash('sha256')
  private inChunk = 0
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private offset = 0
  private readonly file: FileHandle
  private readonly writes = new WriteQueue(4)
  constructor (file: FileHandle) { this.file = file }
  async add (bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.byteLength;) {
      const piece = bytes.subarray(at, at + LEAF_BYTES - this.inChunk)
      this.hash.update(piece)
      this.inChunk += piece.byteLength
      at += piece.byteLength
      if (this.inChunk === LEAF_BYTES) { this.hash.digest(); this.hash = createHash('sha256'); this.inChunk = 0 }
    }
    this.pending.push(bytes)
    this.pendingBytes += bytes.byteLength
    if (this.pendingBytes >= IO_BATCH) await this.flush()
  }
  /** Starts writing what is pending (as the downloader, a few writes in flight); resolves once there is room for more. */
  async flush (): Promise<void> {
    const [pieces, offset] = [this.pending, this.offset]
    if (pieces.length > 0) await this.writes.add(async () => { await this.file.writev(pieces, offset) })
    this.offset += this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
  }

  async close (): Promise<void> {
    await this.flush()
    await this.writes.drain()
  }
}

/** Sends the byte count the first 8 bytes ask for, from the same pattern as the blast. */
async function sendCounted (header: Uint8Array, send: (piece: Uint8Array) => boolean | Promise<void>): Promise<void> {
  let left = Number(new DataView(header.buffer, header.byteOffset).getBigUint64(0))
  const block = new Uint8Array(BLAST_CHUNK).fill(7)
  while (left > 0) {
    const piece = left >= block.length ? block : block.subarray(0, left)
    left -= piece.length
    await send(piece)
  }
}

function countedHeader (bytes: number): Uint8Array {
  const header = new Uint8Array(8)
  new DataView(header.buffer).setBigUint64(0, BigInt(bytes))
  return header
}

// Raw TCP, no encryption: the ceiling.
const tcpServer = createServer(socket => {
  socket.once('data', header => {
    void sendCounted(header, async piece => { if (!socket.write(piece)) await new Promise(resolve => socket.once('drain', resolve)) }).then(() => { socket.end() })
  })
})
await new Promise<void>(resolve => tcpServer.listen(0, '127.0.0.1', resolve))
const tcpPort = (tcpServer.address() as AddressInfo).port

async function rawTcp (port: number, bytes: number): Promise<number> {
  const socket: Socket = connect(port, '127.0.0.1')
  await new Promise(resolve => socket.once('connect', resolve))
  const started = performance.now()
  socket.write(countedHeader(bytes))
  let received = 0
  for await (const chunk of socket) {
    received += (chunk as Buffer).length
    if (received >= bytes) break
  }
  socket.destroy()
  return performance.now() - started
}

/** With `source`, the listener reads the bytes from that file and we hash and store them (in a temp file) as a download does. */
async function blast (addr: string, bytes: number, source?: string): Promise<number> {
  const stream = await node.dialProtocol(multiaddr(addr), BLAST_PROTOCOL)
  const started = performance.now()
  stream.send(source === undefined ? countedHeader(bytes) : Buffer.concat([countedHeader(bytes), Buffer.from(source)]))
  const outPath = join(dataDir!, 'blast.out')
  const out = source === undefined ? undefined : await open(outPath, 'w')
  const sink = out === undefined ? undefined : new HashingSink(out)
  let received = 0
  for await (const chunk of stream) {
    received += chunk.byteLength
    if (sink !== undefined) for (const piece of chunk instanceof Uint8Array ? [chunk] : chunk) await sink.add(piece)
    if (received >= bytes) break
  }
  if (out !== undefined) {
    await sink!.close()
    await out.sync()
    await out.close()
    await rm(outPath)
  }
  const ms = performance.now() - started
  await stream.close().catch(() => {})
  if (received < bytes) throw new Error(`blast ended after ${received} of ${bytes} bytes`)
  return ms
}

type Command = { id: number, cmd: 'blast', addr: string, bytes: number, source?: string } | { id: number, cmd: 'tcp', port: number, bytes: number } | { id: number, cmd: 'cpu' } | { id: number, cmd: 'stop' }

process.on('message', (message: Command) => {
  const reply = (body: unknown): void => { process.send!({ id: message.id, ...body as object }) }
  // CPU time of the event-loop thread (what limits a transfer) and of the whole process, in ms.
  if (message.cmd === 'cpu') {
    const main = process.threadCpuUsage()
    const all = process.cpuUsage()
    reply({ main: (main.user + main.system) / 1000, all: (all.user + all.system) / 1000 })
    return
  }
  if (message.cmd === 'stop') { tcpServer.close(); void running.stop().then(() => { reply({}); process.exit(0) }); return }
  const timed = message.cmd === 'blast' ? blast(message.addr, message.bytes, message.source) : rawTcp(message.port, message.bytes)
  timed.then(ms => { reply({ ms }) }, err => { reply({ error: (err as Error).message }) })
})
process.send!({ ready: running.ready, token: running.token, tcpPort })
