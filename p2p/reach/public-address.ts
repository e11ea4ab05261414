// Which of our addresses count as public. libp2p's rule (`isPrivate` in @libp2p/utils) counts the
// RFC 1918 ranges, loopback and the documentation ranges as private; `--public-prefix` adds prefixes that
// are public on this network anyway (the NAT tests' simulated internet, or odd real addressing).
import { BlockList, isIP } from 'node:net'
import type { NetworkInterfaceInfo } from 'node:os'
import { multiaddr } from '@multiformats/multiaddr'
import { isPrivateIp } from '@libp2p/utils'

/** Parses an IPv4 or IPv6 CIDR such as 198.51.100.0/24; throws a readable Error when it isn't one. */
export function parsePrefix (text: string): { address: string, bits: number, family: 'ipv4' | 'ipv6' } {
  const [address = '', bitsText = '', ...rest] = text.split('/')
  const version = isIP(address)
  const bits = Number(bitsText)
  const max = version === 6 ? 128 : 32
  if (version === 0 || rest.length > 0 || !/^\d{1,3}$/.test(bitsText) || bits > max) {
    throw new Error(`${JSON.stringify(text)} is not an address prefix such as 198.51.100.0/24`)
  }
  return { address, bits, family: version === 6 ? 'ipv6' : 'ipv4' }
}

export class PublicPrefixes {
  private readonly list = new BlockList()

  constructor (prefixes: readonly string[]) {
    for (const prefix of prefixes) {
      const { address, bits, family } = parsePrefix(prefix)
      this.list.addSubnet(address, bits, family)
    }
  }

  /** Public: inside a configured prefix, or public by libp2p's rule. */
  isPublicIp (ip: string): boolean {
    const version = isIP(ip)
    if (version === 0) return false
    if (this.list.check(ip, version === 6 ? 'ipv6' : 'ipv4')) return true
    return isPrivateIp(ip) === false
  }
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

export function reachRole (hosts: readonly string[], prefixes: PublicPrefixes): ReachRole {
  if (hosts.some(host => prefixes.isPublicIp(host))) return 'public'
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
export function dialRank (addr: string, prefixes: PublicPrefixes, lan: BlockList): number {
  if (addr.includes('/p2p-circuit')) return 2
  const host = /^\/ip[46]\/([^/]+)/.exec(addr)?.[1]
  if (host === undefined) return 1
  if (host.startsWith('127.') || host === '::1') return 4
  if (prefixes.isPublicIp(host)) return 0
  return lan.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4') ? 1 : 3
}
