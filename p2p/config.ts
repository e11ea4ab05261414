// Command-line flags → a validated Config. Pure: the platform facts come in as arguments.
import { parseArgs } from 'node:util'
import { isAbsolute, join } from 'node:path'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { parsePublicPrefix } from './node/public-prefix.ts'
import { isTestNetwork } from './api/contract.ts'
import { DEFAULT_RELAY_LIMITS, RELAY_LIMIT_FLAGS, relayLimitsFrom, type RelayLimits } from './reach/relay-limits.ts'

export const APP_NAME = 'Tidepool'
export const DEFAULT_NETWORK = 'tidepool'

export interface Config {
  headless: boolean
  dataDir: string
  listen: string[]
  apiPort: number
  bootstrap: string[]
  mdns: boolean
  network: string
  /** The ledger's chain: its genesis block and rules (`test`: trivial proof of work, short maturity). */
  chain: string
  /** The routing layer, fixed per network. */
  dht: DhtKind
  /** IPv4 prefixes counted as public although libp2p calls them private (p2p/node/public-prefix.ts). */
  publicPrefixes: string[]
  /** Ask the router for a port mapping (UPnP IGD). */
  upnp: boolean
  /** Replace the API token before starting: anyone holding the old one loses access. */
  newToken: boolean
  /** The relay service offered while publicly reachable; undefined with `--no-relay-service` (p2p/reach/). */
  relayService: RelayLimits | undefined
  /**
   * Where finished downloads are saved under their shared names until the user picks another folder in
   * the Files view: `--downloads-dir`, else the user's Downloads folder; null (kept only in the library)
   * on a test network, so tests and demos leave the home folder alone.
   */
  downloadsDir: string | null
}

export const DHT_KINDS = ['kademlia', 'chord'] as const
export type DhtKind = typeof DHT_KINDS[number]
export const DEFAULT_CHAIN = 'main'
const CHAIN_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/

export const USAGE = `usage: tidepool [--headless] [--data-dir DIR] [--listen MULTIADDR]... [--api-port N]
                [--bootstrap MULTIADDR]... [--no-mdns] [--network NAME] [--chain NAME]
                [--dht kademlia|chord] [--public-prefix CIDR]... [--no-upnp] [--new-token]
                [--no-relay-service] [--relay-max-reservations N] [--relay-max-connections N]
                [--relay-max-bytes N] [--relay-max-seconds N] [--downloads-dir DIR]

  --headless            run without a window: serve the UI and local API on 127.0.0.1
  --data-dir DIR        where identity, peers and data live (default: the OS's app data folder)
  --listen MULTIADDR    libp2p listen address, repeatable (default: /ip4/0.0.0.0/tcp/0,
                        or /ip4/127.0.0.1/tcp/0 on a test network)
  --api-port N          port of the local API on 127.0.0.1 (default: 0, any free port)
  --bootstrap MULTIADDR peer to join through, with its /p2p/ id, repeatable
  --no-mdns             do not look for peers on the LAN with mDNS
  --network NAME        the Tidepool network to join (default: ${DEFAULT_NETWORK}); names starting
                        with "test" listen on 127.0.0.1 and allow many local connections
  --chain NAME          the coin's chain (default: ${DEFAULT_CHAIN}; "test": trivial proof of work)
  --dht KIND            kademlia (default) or chord; every peer of a network must use the same
  --public-prefix CIDR  count this IPv4 prefix as public although it is a private or documentation
                        range (a lab network, the NAT tests), repeatable
  --no-upnp             do not ask the router to forward a port (UPnP)
  --new-token           make a new API token (the old one stops working); the UI URL printed
                        on the terminal carries it
  --no-relay-service    do not relay for peers behind NATs, even with a public address
  --relay-max-reservations N  peers reachable through our relay at once (default: ${DEFAULT_RELAY_LIMITS.maxReservations})
  --relay-max-connections N   relayed connections open at once (default: ${DEFAULT_RELAY_LIMITS.maxConnections})
  --relay-max-bytes N   bytes one relayed connection may carry (default: ${DEFAULT_RELAY_LIMITS.maxBytes}, 16 MiB)
  --relay-max-seconds N seconds one relayed connection may last (default: ${DEFAULT_RELAY_LIMITS.maxSeconds})
  --downloads-dir DIR   where finished downloads are saved, an absolute path (default: your Downloads
                        folder; none on a test network); the Files view can change it

       tidepool simulate-dht --help     Chord and Kademlia routing in a simulated network
       tidepool simulate-attack --help  the Bitcoin paper's double-spend race`

/** A flag problem; the CLI prints it with USAGE and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Networks for tests and demos on one machine (the rule lives with the contract; the UI needs it too). */
export { isTestNetwork }

const NETWORK_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/

export interface PlatformFacts {
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  home: string
}

/** The user's Downloads folder, as file managers and browsers name it. */
export function defaultDownloadsDir ({ platform, env, home }: PlatformFacts): string {
  if (platform === 'win32') return join(env.USERPROFILE ?? home, 'Downloads')
  const xdg = platform === 'darwin' ? undefined : env.XDG_DOWNLOAD_DIR
  return xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, 'Downloads')
}

/** The per-user app data folder, the same one Electron's app.getPath('userData') gives. */
export function defaultDataDir ({ platform, env, home }: PlatformFacts): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME)
}

function parseMultiaddr (flag: string, text: string): Multiaddr {
  try {
    return multiaddr(text)
  } catch (err) {
    throw new UsageError(`${flag}: not a multiaddr: ${JSON.stringify(text)} (${(err as Error).message})`)
  }
}

export function parseConfig (argv: string[], facts: PlatformFacts): Config {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        headless: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        listen: { type: 'string', multiple: true },
        'api-port': { type: 'string' },
        bootstrap: { type: 'string', multiple: true },
        'no-mdns': { type: 'boolean', default: false },
        network: { type: 'string' },
        chain: { type: 'string' },
        dht: { type: 'string' },
        'public-prefix': { type: 'string', multiple: true },
        'no-upnp': { type: 'boolean', default: false },
        'new-token': { type: 'boolean', default: false },
        'no-relay-service': { type: 'boolean', default: false },
        'downloads-dir': { type: 'string' },
        ...Object.fromEntries(Object.keys(RELAY_LIMIT_FLAGS).map(flag => [flag, { type: 'string' as const }]))
      }
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const v = parsed.values

  const network = v.network ?? DEFAULT_NETWORK
  if (!NETWORK_NAME.test(network)) {
    throw new UsageError(`--network: ${JSON.stringify(network)} must be 1-63 of a-z, 0-9 and "-", starting with a letter or digit`)
  }

  let apiPort = 0
  if (v['api-port'] !== undefined) {
    apiPort = Number(v['api-port'])
    if (!/^\d+$/.test(v['api-port']) || apiPort > 65535) {
      throw new UsageError(`--api-port: ${JSON.stringify(v['api-port'])} is not a port number (0-65535)`)
    }
  }

  const listen = v.listen ?? [isTestNetwork(network) ? '/ip4/127.0.0.1/tcp/0' : '/ip4/0.0.0.0/tcp/0']
  for (const addr of listen) parseMultiaddr('--listen', addr)

  const bootstrap = v.bootstrap ?? []
  for (const addr of bootstrap) {
    if (parseMultiaddr('--bootstrap', addr).getComponents().find(c => c.name === 'p2p') == null) {
      throw new UsageError(`--bootstrap: ${addr} has no /p2p/<peer id> part`)
    }
  }

  if (v['data-dir'] === '') throw new UsageError('--data-dir: must not be empty')
  const downloadsDir = v['downloads-dir']
  if (downloadsDir !== undefined && !isAbsolute(downloadsDir)) {
    throw new UsageError(`--downloads-dir: ${JSON.stringify(downloadsDir)} is not an absolute path`)
  }

  const chain = v.chain ?? DEFAULT_CHAIN
  if (!CHAIN_NAME.test(chain)) throw new UsageError(`--chain: ${JSON.stringify(chain)} must be 1-32 of a-z, 0-9 and "-"`)
  const dht = v.dht ?? 'kademlia'
  if (!(DHT_KINDS as readonly string[]).includes(dht)) throw new UsageError(`--dht: ${JSON.stringify(dht)} is not one of ${DHT_KINDS.join(', ')}`)

  const publicPrefixes = v['public-prefix'] ?? []
  for (const prefix of publicPrefixes) {
    try {
      parsePublicPrefix(prefix)
    } catch (err) {
      throw new UsageError(`--public-prefix: ${(err as Error).message}`)
    }
  }
  let relayLimits: RelayLimits
  try {
    relayLimits = relayLimitsFrom(v as Partial<Record<keyof typeof RELAY_LIMIT_FLAGS, string>>)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }

  return {
    headless: v.headless ?? false,
    dataDir: v['data-dir'] ?? defaultDataDir(facts),
    listen,
    apiPort,
    bootstrap,
    mdns: !(v['no-mdns'] ?? false),
    network,
    chain,
    dht: dht as DhtKind,
    publicPrefixes,
    upnp: !(v['no-upnp'] ?? false),
    newToken: v['new-token'] ?? false,
    relayService: v['no-relay-service'] === true ? undefined : relayLimits,
    downloadsDir: downloadsDir ?? (isTestNetwork(network) ? null : defaultDownloadsDir(facts))
  }
}
