import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultDataDir, defaultDownloadsDir, isTestNetwork, parseConfig, UsageError } from '../../p2p/config.ts'
import { DEFAULT_RELAY_LIMITS } from '../../p2p/reach/relay-limits.ts'

const linux = { platform: 'linux' as const, env: {}, home: '/home/ada' }

test('defaults: OS app data dir, mDNS on, any API port, all interfaces on the default network', () => {
  const config = parseConfig([], linux)
  assert.deepEqual(config, {
    headless: false,
    dataDir: '/home/ada/.config/Tidepool',
    listen: ['/ip4/0.0.0.0/tcp/0'],
    apiPort: 0,
    bootstrap: [],
    mdns: true,
    network: 'tidepool',
    chain: 'main',
    dht: 'kademlia',
    publicPrefixes: [],
    upnp: true,
    newToken: false,
    relayService: DEFAULT_RELAY_LIMITS,
    downloadsDir: '/home/ada/Downloads'
  })
})

test('downloads: --downloads-dir, else the Downloads folder; none on a test network unless given', () => {
  assert.equal(parseConfig(['--downloads-dir', '/srv/in'], linux).downloadsDir, '/srv/in')
  assert.equal(parseConfig(['--network', 'test-x'], linux).downloadsDir, null)
  assert.equal(parseConfig(['--network', 'test-x', '--downloads-dir', '/tmp/d'], linux).downloadsDir, '/tmp/d')
  assert.equal(defaultDownloadsDir({ platform: 'linux', env: { XDG_DOWNLOAD_DIR: '/home/ada/Téléchargements' }, home: '/home/ada' }), '/home/ada/Téléchargements')
  assert.equal(defaultDownloadsDir({ platform: 'linux', env: { XDG_DOWNLOAD_DIR: 'relative' }, home: '/home/ada' }), '/home/ada/Downloads')
  assert.equal(defaultDownloadsDir({ platform: 'darwin', env: {}, home: '/Users/ada' }), '/Users/ada/Downloads')
})

test('relay flags: relay limits are set one by one, --no-relay-service turns the relay off', () => {
  const config = parseConfig(['--relay-max-bytes', '1024', '--relay-max-seconds', '5'], linux)
  assert.deepEqual(config.relayService, { ...DEFAULT_RELAY_LIMITS, maxBytes: 1024, maxSeconds: 5 })
  assert.equal(parseConfig(['--no-relay-service', '--relay-max-bytes', '1024'], linux).relayService, undefined)
})

test('every flag is read, repeatable ones as lists', () => {
  const boot = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWHqL3gFUdjPf9wHPws4kkX2nWfBpDZF19t9eaUMNDySqN'
  const config = parseConfig(['--headless', '--data-dir', '/d', '--listen', '/ip4/127.0.0.1/tcp/1', '--listen', '/ip4/127.0.0.1/tcp/2',
    '--api-port', '8080', '--bootstrap', boot, '--no-mdns', '--network', 'test-x', '--chain', 'test', '--dht', 'chord',
    '--public-prefix', '198.51.100.0/24', '--public-prefix', '203.0.113.0/24', '--no-upnp'], linux)
  assert.equal(config.headless, true)
  assert.equal(config.dataDir, '/d')
  assert.deepEqual(config.listen, ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2'])
  assert.equal(config.apiPort, 8080)
  assert.deepEqual(config.bootstrap, [boot])
  assert.equal(config.mdns, false)
  assert.equal(config.network, 'test-x')
  assert.equal(config.chain, 'test')
  assert.equal(config.dht, 'chord')
  assert.deepEqual(config.publicPrefixes, ['198.51.100.0/24', '203.0.113.0/24'])
  assert.equal(config.upnp, false)
})

test('--public-prefix takes IPv4 prefixes only', () => {
  for (const bad of ['198.51.100.0', '198.51.100.0/33', '2001:db8::/32', 'lan/8', '198.51.100.0/24/1']) {
    assert.throws(() => parseConfig(['--public-prefix', bad], linux), (err: Error) => err instanceof UsageError && err.message.startsWith('--public-prefix:'), bad)
  }
})

test('a test network listens on loopback by default', () => {
  assert.deepEqual(parseConfig(['--network', 'test-1'], linux).listen, ['/ip4/127.0.0.1/tcp/0'])
  assert.equal(isTestNetwork('test'), true)
  assert.equal(isTestNetwork('testing'), false)
  assert.equal(isTestNetwork('tidepool'), false)
})

test('data dir follows each OS convention', () => {
  assert.equal(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/ada' }), '/Users/ada/Library/Application Support/Tidepool')
  assert.equal(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, home: 'C:\\Users\\ada' }).endsWith('Tidepool'), true)
  assert.equal(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/x' }, home: '/h' }), '/x/Tidepool')
})

for (const [name, argv, pattern] of [
  ['unknown flag', ['--nope'], /nope/],
  ['positional argument', ['extra'], /extra|positional/i],
  ['port not a number', ['--api-port', 'abc'], /--api-port/],
  ['port out of range', ['--api-port', '70000'], /--api-port/],
  ['listen not a multiaddr', ['--listen', 'localhost:4001'], /--listen/],
  ['bootstrap without peer id', ['--bootstrap', '/ip4/127.0.0.1/tcp/4001'], /\/p2p\//],
  ['network with bad characters', ['--network', 'My Net'], /--network/],
  ['flag missing its value', ['--data-dir'], /data-dir/],
  ['empty data dir', ['--data-dir', ''], /--data-dir/],
  ['unknown DHT', ['--dht', 'pastry'], /--dht/],
  ['relay limit not a number', ['--relay-max-connections', 'many'], /--relay-max-connections/],
  ['relay limit zero', ['--relay-max-reservations', '0'], /--relay-max-reservations/],
  ['bad chain name', ['--chain', 'Main Net'], /--chain/],
  ['relative downloads dir', ['--downloads-dir', 'dl'], /--downloads-dir/]
] as const) {
  test(`usage error: ${name}`, () => {
    assert.throws(() => parseConfig([...argv], linux), (err: unknown) => err instanceof UsageError && pattern.test(err.message))
  })
}
