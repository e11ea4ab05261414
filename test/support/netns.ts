// A two-laptop LAN made of Linux network namespaces joined by a veth pair: real interfaces with
// multicast, not loopback, and nothing outside this machine. Needs root and iproute2.
import { execFileSync } from 'node:child_process'

export interface Lan {
  hosts: Array<{ netns: string, address: string }>
  remove: () => void
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

const ip = (...args: string[]): void => { execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] }) }

export function makeLan (): Lan {
  const tag = `${process.pid % 100000}`
  // 10.231.0.0/16 exists only inside these namespaces; the subnet varies per run so runs never collide.
  const subnet = `10.231.${process.pid % 250}`
  const hosts = [
    { netns: `tp-a-${tag}`, veth: `tpa${tag}`, address: `${subnet}.1` },
    { netns: `tp-b-${tag}`, veth: `tpb${tag}`, address: `${subnet}.2` }
  ]
  const remove = (): void => {
    for (const host of hosts) { try { ip('netns', 'del', host.netns) } catch { /* already gone */ } }
  }
  try {
    for (const host of hosts) ip('netns', 'add', host.netns)
    ip('link', 'add', hosts[0]!.veth, 'type', 'veth', 'peer', 'name', hosts[1]!.veth)
    for (const host of hosts) {
      ip('link', 'set', host.veth, 'netns', host.netns)
      ip('-n', host.netns, 'addr', 'add', `${host.address}/24`, 'dev', host.veth)
      ip('-n', host.netns, 'link', 'set', host.veth, 'up', 'multicast', 'on')
      ip('-n', host.netns, 'link', 'set', 'lo', 'up')
      // mDNS multicast goes out on the LAN interface (there is no default route to carry it).
      ip('-n', host.netns, 'route', 'add', '224.0.0.0/4', 'dev', host.veth)
    }
  } catch (err) {
    remove()
    throw new Error(`could not make the test LAN: ${(err as Error & { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`)
  }
  return { hosts: hosts.map(({ netns, address }) => ({ netns, address })), remove }
}
