// Which of our addresses count as public: libp2p's rule (`isPrivateIp` in @libp2p/utils), which
// `--public-prefix` extends process-wide (node/public-prefix.ts), so every part of libp2p agrees with us.
import { BlockList, isIP } from 'node:net'
import type { NetworkInterfaceInfo } from 'node:os'
import { multiaddr } from '@multiformats/multiaddr'
import { isPrivateIp } from '@libp2p/utils'

export function isPublicIp (ip: string): boolean {
  return isIP(ip) !== 0 && isPrivateIp(ip) === false
}

/**
 * The host addresses a peer listening on `listen` would have: a wildcard (0.0.0.0, ::) stands for every
 * interface address of its family.
 */
export function listenHosts (listen: readonly string[], interfaces: Record<string, NetworkInterfaceInfo[] | undefined>): string[] {
  const all = Object.values(interfaces).flatMap(list => list ?? [])
  return listen.flatMap(text => {
    const host = multiaddr(text).getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')
    if (host?.value === undefined) return []
    if (host.value === '0.0.0.0') return all.filter(i => i.family === 'IPv4').map(i => i.address)
    if (host.value === '::') return all.filter(i => i.family === 'IPv6').map(i => i.address)
    return [host.value]
  })
}

/** What a peer does about reach, decided from its own addresses before it starts. */
export type ReachRole =
  /** It has a public address: others can dial it, so it can relay for them. */
  | 'public'
  /** Only private, non-loopback addresses: behind a NAT, so it needs relays to be dialled. */
  | 'behind-nat'
  /** Loopback only: nobody beyond this host could use a relay to reach it. */
  | 'local'

export function reachRole (hosts: readonly string[]): ReachRole {
  if (hosts.some(isPublicIp)) return 'public'
  if (hosts.some(host => !host.startsWith('127.') && host !== '::1')) return 'behind-nat'
  return 'local'
}

/** The subnets of this host's interfaces, for telling our own LAN from someone else's. */
export function localSubnets (interfaces: Record<string, NetworkInterfaceInfo[] | undefined>): BlockList {
  const list = new BlockList()
  for (const info of Object.values(interfaces).flatMap(l => l ?? [])) {
    if (info.cidr === null) continue
    const [address = '', bits = ''] = info.cidr.split('/')
    list.addSubnet(address, Number(bits), info.family === 'IPv6' ? 'ipv6' : 'ipv4')
  }
  return list
}

/**
 * Dial order: public addresses, then our own LAN's, then relays, then private addresses on subnets we
 * are not on (most likely behind the other peer's NAT: a dial there hangs until its timeout, so the
 * relay goes first), loopback last. libp2p dials a peer's addresses one after another.
 */
export function dialRank (addr: string, lan: BlockList): number {
  if (addr.includes('/p2p-circuit')) return 2
  const host = /^\/ip[46]\/([^/]+)/.exec(addr)?.[1]
  if (host === undefined) return 1
  if (host.startsWith('127.') || host === '::1') return 4
  if (isPublicIp(host)) return 0
  return lan.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4') ? 1 : 3
}
