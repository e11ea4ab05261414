// One benchmark peer (a child of bench/files-throughput.ts): a real Tidepool peer plus a plain libp2p
// protocol that moves raw bytes over the same kind of connection, for the baseline. Commands come over IPC.
import { tmpdir } from 'node:os'
import { parseConfig } from '../p2p/config.ts'
import { runTidepool } from '../p2p/cli.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'

const BLAST_PROTOCOL = '/tidepool-bench/blast/1.0.0'
const BLAST_CHUNK = 256 * 1024

const [dataDir, network, ...bootstrap] = process.argv.slice(2)
const config = parseConfig(['--headless', '--no-mdns', '--network', network!, '--data-dir', dataDir!, '--listen', '/ip4/127.0.0.1/tcp/0',
  ...bootstrap.flatMap(b => ['--bootstrap', b])], { platform: process.platform, env: {}, home: tmpdir() })
const running = await runTidepool(config, { info: m => { if (process.env.BENCH_VERBOSE !== undefined) process.stderr.write(m + '\n') }, error: m => { process.stderr.write(m + '\n') }, close: async () => {} })
const node = running.peer.node

// The baseline: the dialer says how many bytes; the listener sends them and closes.
await node.handle(BLAST_PROTOCOL, async stream => {
  let header: Uint8Array | undefined
  for await (const chunk of stream) { header = chunk.subarray(); break }
  await sendCounted(header!, async piece => { if (!stream.send(piece)) await stream.onDrain() })
  await stream.close()
})

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

async function blast (addr: string, bytes: number): Promise<number> {
  const stream = await node.dialProtocol(multiaddr(addr), BLAST_PROTOCOL)
  const started = performance.now()
  stream.send(countedHeader(bytes))
  let received = 0
  for await (const chunk of stream) {
    received += chunk.byteLength
    if (received >= bytes) break
  }
  const ms = performance.now() - started
  await stream.close().catch(() => {})
  if (received < bytes) throw new Error(`blast ended after ${received} of ${bytes} bytes`)
  return ms
}

type Command = { id: number, cmd: 'blast', addr: string, bytes: number } | { id: number, cmd: 'tcp', port: number, bytes: number } | { id: number, cmd: 'cpu' } | { id: number, cmd: 'stop' }

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
  const timed = message.cmd === 'blast' ? blast(message.addr, message.bytes) : rawTcp(message.port, message.bytes)
  timed.then(ms => { reply({ ms }) }, err => { reply({ error: (err as Error).message }) })
})
process.send!({ ready: running.ready, token: running.token, tcpPort })
