// A home behind a NAT router, made of Linux network namespaces: an "internet" namespace on
// 198.51.100.0/24 (a documentation range: the peers get --public-prefix for it), a router namespace that
// masquerades its LAN with nftables and may run Debian's miniupnpd (UPnP IGD), and a home namespace on a
// private LAN behind it. Every address lives inside these namespaces; nothing is routed anywhere else.
// Needs root, iproute2, nftables and miniupnpd (scripts/test.ts installs them).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lanUnavailableReason } from './netns.ts'
import { makeTempDir, ownChild } from './cleanup.ts'

export const INTERNET_PREFIX = '198.51.100.0/24'

export interface NatRouter {
  /** Namespaces: the simulated internet, the router, the home behind it. */
  internet: string
  router: string
  home: string
  /** The internet namespace's own address (a public peer listens there). */
  internetAddress: string
  /** The router's address on the internet: what the home looks like from outside. */
  wanAddress: string
  homeAddress: string
  /** The router's UPnP port forwards (miniupnpd's DNAT rules), as "tcp dport N dnat ip to H:P" lines. */
  forwards: () => string[]
  /** Removes namespaces (with their veths and nft tables) and stops the processes it started. Safe twice. */
  remove: () => Promise<void>
}

/** Why the NAT router can't be made here, or undefined when it can. */
export function natRouterUnavailableReason (): string | undefined {
  const lan = lanUnavailableReason()
  if (lan !== undefined) return lan
  for (const [tool, args] of [['nft', ['--version']], ['miniupnpd', ['--version']]] as const) {
    try {
      execFileSync(tool, args, { stdio: 'ignore' })
    } catch (err) {
      // miniupnpd --version prints its version and exits 0; a missing binary is ENOENT.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return `${tool} is not installed`
    }
  }
  return undefined
}

const run = (command: string, args: string[], input?: string): string =>
  execFileSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString()

/**
 * miniupnpd refuses a documentation-range WAN address as "reserved" (no port forwarding), unless it
 * learns its public address by STUN. So the internet namespace answers STUN binding requests (RFC 5389:
 * XOR-MAPPED-ADDRESS = where the request came from), as a real STUN server would.
 */
const STUN_SERVER = `
const s = require('node:dgram').createSocket('udp4')
s.on('message', (msg, from) => {
  if (msg.length < 20 || msg.readUInt16BE(0) !== 0x0001) return
  const res = Buffer.alloc(32)
  res.writeUInt16BE(0x0101, 0); res.writeUInt16BE(12, 2); msg.copy(res, 4, 4, 20)
  res.writeUInt16BE(0x0020, 20); res.writeUInt16BE(8, 22); res.writeUInt16BE(1, 24)
  res.writeUInt16BE(from.port ^ 0x2112, 26)
  from.address.split('.').forEach((octet, i) => res.writeUInt8(Number(octet) ^ [0x21, 0x12, 0xa4, 0x42][i], 28 + i))
  s.send(res, from.port, from.address)
})
s.bind(3478, process.argv[1], () => { process.stdout.write('ready\\n') })
`

async function startDaemon (netns: string, command: string, args: string[], readyLine: RegExp, what: string): Promise<ChildProcess> {
  const child = ownChild(spawn('ip', ['netns', 'exec', netns, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${what} not ready in 15 s:\n${output}`)) }, 15_000)
    const onData = (chunk: Buffer): void => {
      output += String(chunk)
      if (readyLine.test(output)) { clearTimeout(timer); resolve() }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`${what} exited (${String(code)}):\n${output}`)) })
  }).catch(err => { child.kill('SIGKILL'); throw err })
  return child
}

async function stopDaemon (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  const hung = setTimeout(() => { child.kill('SIGKILL') }, 5000)
  await exited
  clearTimeout(hung)
}

export async function makeNatRouter ({ upnp }: { upnp: boolean }): Promise<NatRouter> {
  const tag = `${process.pid % 100000}`
  // The LAN (10.232.x.0/24) varies per run so runs never collide; the internet side lives only in here.
  const lan = `10.232.${process.pid % 250}`
  const internet = `tpu-i-${tag}`
  const router = `tpu-r-${tag}`
  const home = `tpu-h-${tag}`
  const wan = { outside: `tpuw${tag}`, router: `tpuW${tag}` }
  const lanLink = { router: `tpuL${tag}`, home: `tpul${tag}` }
  const internetAddress = '198.51.100.2'
  const wanAddress = '198.51.100.1'
  const homeAddress = `${lan}.2`
  const dir = await makeTempDir('tidepool-nat-router-')
  const daemons: ChildProcess[] = []

  // Deleting a namespace takes its veths and nft tables with it. Also on exit, should the test die first
  // (the daemons and the temp dir are cleaned up on exit by cleanup.ts).
  const deleteNamespaces = (): void => {
    for (const netns of [home, router, internet]) { try { run('ip', ['netns', 'del', netns]) } catch { /* not made, or gone */ } }
  }
  process.once('exit', deleteNamespaces)
  let removed = false
  const remove = async (): Promise<void> => {
    if (removed) return
    removed = true
    for (const daemon of daemons.reverse()) await stopDaemon(daemon)
    deleteNamespaces()
    process.off('exit', deleteNamespaces)
  }

  try {
    for (const netns of [internet, router, home]) {
      run('ip', ['netns', 'add', netns])
      run('ip', ['-n', netns, 'link', 'set', 'lo', 'up'])
    }
    run('ip', ['link', 'add', wan.outside, 'netns', internet, 'type', 'veth', 'peer', 'name', wan.router, 'netns', router])
    run('ip', ['link', 'add', lanLink.router, 'netns', router, 'type', 'veth', 'peer', 'name', lanLink.home, 'netns', home])
    for (const [netns, link, address] of [[internet, wan.outside, `${internetAddress}/24`], [router, wan.router, `${wanAddress}/24`],
      [router, lanLink.router, `${lan}.1/24`], [home, lanLink.home, `${homeAddress}/24`]] as const) {
      run('ip', ['-n', netns, 'addr', 'add', address, 'dev', link])
      run('ip', ['-n', netns, 'link', 'set', link, 'up'])
    }
    run('ip', ['-n', home, 'route', 'add', 'default', 'via', `${lan}.1`])
    run('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'])
    // A home router: the LAN goes out masqueraded; from outside only replies and UPnP's forwards come in.
    // The chain names are miniupnpd's defaults; it fills them with its DNAT and accept rules.
    run('ip', ['netns', 'exec', router, 'nft', '-f', '-'], `
table inet tidepool_nat {
  chain forward {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "${lanLink.router}" accept
    jump miniupnpd
  }
  chain miniupnpd {
  }
  chain prerouting {
    type nat hook prerouting priority -100; policy accept;
    jump prerouting_miniupnpd
  }
  chain prerouting_miniupnpd {
  }
  chain postrouting {
    type nat hook postrouting priority 100; policy accept;
    jump postrouting_miniupnpd
    oifname "${wan.router}" masquerade
  }
  chain postrouting_miniupnpd {
  }
}
`)
    if (upnp) {
      daemons.push(await startDaemon(internet, process.execPath, ['-e', STUN_SERVER, internetAddress], /ready/, 'STUN server'))
      const conf = join(dir, 'miniupnpd.conf')
      writeFileSync(conf, [
        `ext_ifname=${wan.router}`,
        `listening_ip=${lanLink.router}`,
        'ext_perform_stun=yes',
        `ext_stun_host=${internetAddress}`,
        'ext_stun_port=3478',
        'upnp_table_name=tidepool_nat',
        'upnp_nat_table_name=tidepool_nat',
        'enable_upnp=yes',
        'enable_natpmp=no',
        'secure_mode=yes',
        'uuid=7d1c8f3e-5b1a-4c2e-9a57-1f6d2b3c4e5f',
        `allow 1024-65535 ${lan}.0/24 1024-65535`,
        'deny 0-65535 0.0.0.0/0 0-65535',
        ''
      ].join('\n'))
      daemons.push(await startDaemon(router, 'miniupnpd', ['-d', '-f', conf, '-P', join(dir, 'miniupnpd.pid')], /HTTP listening on port/, 'miniupnpd'))
    }
  } catch (err) {
    await remove()
    throw new Error(`could not make the NAT router: ${(err as Error & { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`)
  }

  return {
    internet,
    router,
    home,
    internetAddress,
    wanAddress,
    homeAddress,
    forwards: () => run('ip', ['netns', 'exec', router, 'nft', 'list', 'chain', 'inet', 'tidepool_nat', 'prerouting_miniupnpd'])
      .split('\n').map(line => line.trim()).filter(line => line.includes('dnat')),
    remove
  }
}
