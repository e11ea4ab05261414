// The parent's side of bench/files-peer.ts, shared by the files benchmarks: start a peer child, ask it
// commands over IPC, call its local API, stop it.
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export interface BenchPeer {
  child: ChildProcess
  ready: { peerId: string, addrs: string[], api: string }
  token: string
  tcpPort: number
  dataDir: string
  /** One IPC command (`cpu`, `blast`, `tcp`); resolves to the child's reply. */
  call: (msg: object) => Promise<any>
}

/** Starts `<tree>/bench/files-peer.ts` on dataDir, joining network through bootstrap. */
export async function startBenchPeer (tree: string, dataDir: string, network: string, bootstrap: string[] = [], execArgv: string[] = []): Promise<BenchPeer> {
  const child = fork(join(tree, 'bench', 'files-peer.ts'), [dataDir, network, ...bootstrap], { execPath: process.execPath, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const hello = await new Promise<any>((resolve, reject) => { child.once('message', resolve); child.once('exit', code => { reject(new Error(`the peer on ${dataDir} exited ${code}`)) }) })
  let next = 0
  const pending = new Map<number, (reply: any) => void>()
  child.on('message', (reply: any) => { pending.get(reply.id)?.(reply); pending.delete(reply.id) })
  return {
    child, ready: hello.ready, token: hello.token, tcpPort: hello.tcpPort, dataDir,
    call: async msg => await new Promise(resolve => { const id = ++next; pending.set(id, resolve); child.send({ id, ...msg }) })
  }
}

/** One local API call; throws unless the answer is 200. */
export async function benchApi (peer: BenchPeer, path: string, body?: unknown, method?: string): Promise<any> {
  const res = await fetch(peer.ready.api + path, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${peer.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const json = await res.json()
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** Each child stops itself (writing its CPU profile when asked to); SIGKILL only if it hangs. */
export async function stopBenchPeers (peers: BenchPeer[]): Promise<void> {
  await Promise.all(peers.map(async p => {
    const exited = new Promise(resolve => p.child.once('exit', resolve))
    p.child.send({ id: 0, cmd: 'stop' })
    const hung = setTimeout(() => { p.child.kill('SIGKILL') }, 10_000)
    await exited
    clearTimeout(hung)
  }))
}
