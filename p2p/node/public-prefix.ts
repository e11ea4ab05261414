// `--public-prefix`: count an IPv4 prefix as public although libp2p calls it private. libp2p's rule
// (`isPrivateIp` in @libp2p/utils) lists RFC 1918, loopback and the documentation ranges; the NAT tests'
// simulated internet lives in documentation ranges, and real networks can have odd addressing. Every
// libp2p part that decides about reach (AutoNAT's client and server, the address manager, UPnP) asks that
// one rule, and it offers no setting — so the flag teaches the rule itself (below), process-wide.
import { createRequire } from 'node:module'
import { BlockList, isIPv4 } from 'node:net'
import { isPrivateIp } from '@libp2p/utils'

/** Parses "198.51.100.0/24"; throws a readable Error for anything else (IPv6 included: see countAsPublic). */
export function parsePublicPrefix (text: string): { address: string, bits: number } {
  const [address = '', bits = '', ...rest] = text.split('/')
  if (!isIPv4(address) || rest.length > 0 || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) {
    throw new Error(`${JSON.stringify(text)} is not an IPv4 prefix such as 198.51.100.0/24`)
  }
  return { address, bits: Number(bits) }
}

const publicRanges = new BlockList()
let ruleTaught = false

/**
 * From now on libp2p counts addresses inside these prefixes as public. libp2p's rule tests an IPv4
 * address against each private range with `Netmask#contains` (package netmask); answering "not inside"
 * for a configured prefix is exactly "public". IPv6 is tested by fixed patterns there, hence IPv4 only.
 * Checked after teaching, so a libp2p that no longer works this way fails loudly instead of silently.
 */
export function countAsPublic (prefixes: readonly string[]): void {
  if (prefixes.length === 0) return
  const parsed = prefixes.map(parsePublicPrefix)
  for (const { address, bits } of parsed) publicRanges.addSubnet(address, bits, 'ipv4')
  if (!ruleTaught) {
    const { Netmask } = createRequire(import.meta.resolve('@libp2p/utils'))('netmask') as { Netmask: { prototype: { contains: (ip: unknown) => boolean } } }
    const contains = Netmask.prototype.contains
    Netmask.prototype.contains = function (this: unknown, ip: unknown): boolean {
      if (typeof ip === 'string' && isIPv4(ip) && publicRanges.check(ip, 'ipv4')) return false
      return contains.call(this, ip)
    }
    ruleTaught = true
  }
  for (const [i, { address }] of parsed.entries()) {
    if (isPrivateIp(address) === true) throw new Error(`--public-prefix ${prefixes[i]!}: libp2p still counts it as private`)
  }
}
