// A small internet made of Linux network namespaces, for the reach tests: an "internet" namespace on
// documentation ranges (198.51.100.0/24 for public peers, 203.0.113.0/24 for the routers' WAN side),
// and homes each behind its own NAT router namespace (nftables masquerade). Every address exists only
// inside these namespaces; nothing is routed anywhere else. Needs root, iproute2 and nftables.
import { execFileSync } from 'node:child_process'
import { lanUnavailableReason } from './netns.ts'

/** How a home's router maps ports. */
export type NatKind =
  /** masquerade: Linux keeps the source port when it can, the same for every destination. */
  | 'endpoint-independent'
  /** masquerade fully-random: a fresh random port per connection, so per destination. */
  | 'symmetric'

export interface Home {
  netns: string
  /** The home host's address on its LAN (10.N.0.2). */
  address: string
  /** The router's public address (203.0.113.1N). */
  wan: string
  nat: NatKind
}

export interface NatTopology {
  /** The namespace the public peers run in. */
  internet: string
  /** Addresses on 198.51.100.0/24 that public peers listen on, one per peer. */
  publicAddresses: string[]
  homes: Home[]
  remove: () => void
}

export const PUBLIC_PREFIX = '198.51.100.0/24'
export const WAN_PREFIX = '203.0.113.0/24'
const PREFIX = 'tpn'

/** Why the topology can't be made here, or undefined when it can. */
export function natUnavailableReason (): string | undefined {
  const lan = lanUnavailableReason()
  if (lan !== undefined) return lan
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' })
  } catch {
    return 'nftables (`nft`) is not installed'
  }
  return undefined
}

/** The skip option of a test that needs this topology: a reason, printed, never a silent pass. */
export function skipUnlessNat (): false | string {
  return natUnavailableReason() === undefined ? false : 'skipped: needs root and network namespaces'
}

function run (command: string, args: string[], input?: string): string {
  try {
    return execFileSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString()
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? ''
    throw new Error(`${command} ${args.join(' ')}: ${stderr || (err as Error).message}`)
  }
}
const ip = (...args: string[]): string => run('ip', args)
const inNs = (netns: string, command: string, args: string[], input?: string): string => run('ip', ['netns', 'exec', netns, command, ...args], input)

/** Removes namespaces left by runs that crashed before their teardown: their pid is no longer alive. */
export function sweepLeftovers (): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)
    if (match === null) continue
    const pid = Number(match[1])
    let alive = true
    try { process.kill(pid, 0) } catch { alive = false }
    if (!alive || pid === process.pid) {
      try { ip('netns', 'del', name) } catch { /* raced with another sweep */ }
    }
  }
}

let made = 0

/**
 * Builds the topology: `publicPeers` addresses in the internet namespace, and one home per entry of
 * `homes`. Namespace names carry this process's pid (so a later run can sweep them after a crash) and a
 * counter (so two topologies of one run never collide); deleting a namespace deletes its veths and nft tables.
 */
export function makeNatTopology ({ publicPeers = 2, homes }: { publicPeers?: number, homes: NatKind[] }): NatTopology {
  sweepLeftovers()
  const tag = `${PREFIX}${process.pid}-${made++}`
  const internet = `${tag}-net`
  const namespaces = [internet]
  const remove = (): void => {
    for (const netns of namespaces.reverse()) { try { ip('netns', 'del', netns) } catch { /* already gone */ } }
  }
  const publicAddresses = Array.from({ length: publicPeers }, (_, i) => `198.51.100.${i + 2}`)
  const result: Home[] = []
  try {
    ip('netns', 'add', internet)
    ip('-n', internet, 'link', 'set', 'lo', 'up')
    ip('-n', internet, 'link', 'add', 'wan', 'type', 'bridge')
    ip('-n', internet, 'addr', 'add', '203.0.113.1/24', 'dev', 'wan')
    for (const address of publicAddresses) ip('-n', internet, 'addr', 'add', `${address}/24`, 'dev', 'wan')
    ip('-n', internet, 'link', 'set', 'wan', 'up')
    homes.forEach((nat, i) => {
      const n = i + 1
      const router = `${tag}-r${n}`
      const home = `${tag}-h${n}`
      namespaces.push(router, home)
      const wan = `203.0.113.${10 + n}`
      const lan = `10.${n}.0`
      ip('netns', 'add', router)
      ip('netns', 'add', home)
      for (const netns of [router, home]) ip('-n', netns, 'link', 'set', 'lo', 'up')
      // Router WAN side: a veth whose other end is a port of the internet's bridge.
      ip('-n', router, 'link', 'add', 'wan', 'type', 'veth', 'peer', 'name', `r${n}`, 'netns', internet)
      ip('-n', internet, 'link', 'set', `r${n}`, 'master', 'wan', 'up')
      ip('-n', router, 'addr', 'add', `${wan}/24`, 'dev', 'wan')
      ip('-n', router, 'link', 'set', 'wan', 'up')
      ip('-n', router, 'route', 'add', 'default', 'via', '203.0.113.1')
      // Router LAN side and the home host behind it.
      ip('-n', router, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', home)
      ip('-n', router, 'addr', 'add', `${lan}.1/24`, 'dev', 'lan')
      ip('-n', router, 'link', 'set', 'lan', 'up')
      ip('-n', home, 'addr', 'add', `${lan}.2/24`, 'dev', 'eth0')
      ip('-n', home, 'link', 'set', 'eth0', 'up')
      ip('-n', home, 'route', 'add', 'default', 'via', `${lan}.1`)
      inNs(router, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'])
      const masquerade = nat === 'symmetric' ? 'masquerade fully-random' : 'masquerade'
      // Inbound, only replies to what the home sent get through (conntrack), as on a home router. The
      // router drops unsolicited packets silently, before conntrack confirms an entry for them: a
      // confirmed entry for a peer's early punch packet would clash with the home's own mapping toward
      // that peer, and Linux would then pick another port, turning this NAT symmetric for that peer.
      inNs(router, 'nft', ['-f', '-'], `table ip nat {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    oifname "wan" ip saddr ${lan}.0/24 ${masquerade}
  }
}
table ip filter {
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan" ct state new drop
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    iifname "lan" accept
    ct state established,related accept
  }
}
`)
      result.push({ netns: home, address: `${lan}.2`, wan, nat })
    })
  } catch (err) {
    remove()
    throw new Error(`could not make the NAT topology: ${(err as Error).message}`)
  }
  return { internet, publicAddresses, homes: result, remove }
}
