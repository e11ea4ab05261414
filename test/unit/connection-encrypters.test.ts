// Which encryption two peers negotiate: the dialer's first offer the listener speaks. A peer inside
// Electron offers TLS first (its BoringSSL lacks ChaCha20-Poly1305), a Node peer noise first.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { connectionEncrypters } from '../../p2p/node/create-node.ts'

async function peer (insideElectron: boolean): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: connectionEncrypters(insideElectron),
    streamMuxers: [yamux()]
  })
}

test('an Electron peer dialing gets TLS; a Node peer dialing gets noise; two Node peers use noise', async () => {
  const [electron, node, other] = await Promise.all([peer(true), peer(false), peer(false)])
  try {
    assert.equal((await electron.dial(node.getMultiaddrs()[0]!)).encryption, '/tls/1.0.0')
    await electron.hangUp(node.peerId)
    assert.equal((await node.dial(electron.getMultiaddrs()[0]!)).encryption, '/noise')
    assert.equal((await node.dial(other.getMultiaddrs()[0]!)).encryption, '/noise')
  } finally {
    await Promise.all([electron.stop(), node.stop(), other.stop()])
  }
})
