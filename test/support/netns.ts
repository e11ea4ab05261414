// LANs made of Linux network namespaces: each host a namespace, each LAN a bridge (a switch) in a
// namespace of its own, joined to its hosts by veth pairs. Real interfaces with multicast, not loopback,
// nothing outside this machine, and no IP forwarding: a host reaches only the LANs it is on. Needs root
// and iproute2.
import { execFileSync } from 'node:child_process'

export interface LanHost {
  name: string
  netns: string
  /** Its address on each LAN it is on, in the order of `lans`. */
  addresses: string[]
  /** Its first address. */
  address: string
}

export interface Lan {
  hosts: LanHost[]
  host: (name: string) => LanHost
  remove: () => void
}

export interface LanOptions {
  /** The LANs, each the names of the hosts on it (default: one LAN of hosts a and b). */
  lans?: string[][]
  /** Give each host a default route through its first LAN (to a gateway that is not there). */
  defaultRoute?: boolean
}

/** Why namespaces can't be made here, or undefined when they can. */
export function lanUnavailableReason (): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only'
  if (process.getuid?.() !== 0) return 'making network namespaces needs root'
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' })
  } catch {
    return 'iproute2 (`ip`) is not installed'
  }
  return undefined
}

/** What node:test prints for a test that can't run here. */
export const LAN_SKIP = lanUnavailableReason() === undefined ? false : 'skipped: needs root and network namespaces'

export const ip = (...args: string[]): void => { execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] }) }

let made = 0
/** Removed when this test process exits, even if a test threw before its own cleanup. */
const unremoved = new Set<() => void>()
process.once('exit', () => { for (const remove of unremoved) remove() })

export function makeLan (options: LanOptions = {}): Lan {
  const lans = options.lans ?? [['a', 'b']]
  // Names and subnets vary per process and per LAN made, so parallel runs never collide.
  const tag = `${process.pid % 10000}${made++ % 10}`
  const names = [...new Set(lans.flat())]
  const hosts: LanHost[] = names.map(name => ({ name, netns: `tp-${name}-${tag}`, addresses: [], address: '' }))
  const switchNs = `tp-sw-${tag}`
  const namespaces = [switchNs, ...hosts.map(h => h.netns)]
  const remove = (): void => {
    unremoved.delete(remove)
    for (const netns of namespaces) { try { ip('netns', 'del', netns) } catch { /* already gone */ } }
  }
  unremoved.add(remove)
  try {
    for (const netns of namespaces) ip('netns', 'add', netns)
    lans.forEach((members, l) => {
      const bridge = `br${l}`
      ip('-n', switchNs, 'link', 'add', bridge, 'type', 'bridge')
      ip('-n', switchNs, 'link', 'set', bridge, 'up')
      const subnet = `10.${231 + l}.${(process.pid + made) % 250}`
      members.forEach((name, i) => {
        const host = hosts.find(h => h.name === name)!
        const inside = `tp${l}${name}${tag}`.slice(0, 15)
        const outside = `sw${l}${name}${tag}`.slice(0, 15)
        ip('link', 'add', inside, 'type', 'veth', 'peer', 'name', outside)
        ip('link', 'set', outside, 'netns', switchNs)
        ip('-n', switchNs, 'link', 'set', outside, 'master', bridge)
        ip('-n', switchNs, 'link', 'set', outside, 'up')
        ip('link', 'set', inside, 'netns', host.netns)
        const address = `${subnet}.${i + 1}`
        ip('-n', host.netns, 'addr', 'add', `${address}/24`, 'dev', inside)
        ip('-n', host.netns, 'link', 'set', inside, 'up', 'multicast', 'on')
        if (options.defaultRoute === true && host.addresses.length === 0) ip('-n', host.netns, 'route', 'add', 'default', 'via', `${subnet}.254`, 'dev', inside)
        host.addresses.push(address)
        host.address = host.addresses[0]!
      })
    })
    for (const host of hosts) ip('-n', host.netns, 'link', 'set', 'lo', 'up')
  } catch (err) {
    remove()
    throw new Error(`could not make the test LAN: ${(err as Error & { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`)
  }
  return {
    hosts,
    host: name => { const found = hosts.find(h => h.name === name); if (found === undefined) throw new Error(`no host ${name}`); return found },
    remove
  }
}
