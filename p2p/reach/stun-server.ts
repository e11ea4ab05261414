// A STUN binding responder (RFC 8489, binding requests only) that a public peer runs on the UDP port of
// the same number as its TCP listen port. Peers behind NATs ask it for their public UDP address (their
// server-reflexive ICE candidate), so two of them can punch a WebRTC connection through their NATs with
// no STUN server outside the Tidepool network. The answer is at most twice the request's size.
import { createSocket, type Socket } from 'node:dgram'
import { isIPv4 } from 'node:net'
import { crc32 } from 'node:zlib'

const MAGIC_COOKIE = 0x2112a442
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const XOR_MAPPED_ADDRESS = 0x0020
const FINGERPRINT = 0x8028
const FINGERPRINT_XOR = 0x5354554e
const HEADER_BYTES = 20
/** Requests carry a few optional attributes at most; anything bigger is not a client of ours. */
const MAX_REQUEST_BYTES = 548

/** The response to a binding request from `address:port`, or undefined if `request` is not one. */
export function bindingResponse (request: Uint8Array, address: string, port: number): Uint8Array | undefined {
  if (request.byteLength < HEADER_BYTES || request.byteLength > MAX_REQUEST_BYTES || !isIPv4(address)) return undefined
  const view = new DataView(request.buffer, request.byteOffset, request.byteLength)
  if (view.getUint16(0) !== BINDING_REQUEST || view.getUint32(4) !== MAGIC_COOKIE) return undefined
  if (view.getUint16(2) !== request.byteLength - HEADER_BYTES || view.getUint16(2) % 4 !== 0) return undefined
  const out = new Uint8Array(HEADER_BYTES + 12 + 8)
  const o = new DataView(out.buffer)
  o.setUint16(0, BINDING_SUCCESS)
  o.setUint16(2, 12 + 8)
  o.setUint32(4, MAGIC_COOKIE)
  out.set(request.subarray(8, HEADER_BYTES), 8) // transaction id
  o.setUint16(20, XOR_MAPPED_ADDRESS)
  o.setUint16(22, 8)
  o.setUint8(25, 0x01) // IPv4
  o.setUint16(26, port ^ (MAGIC_COOKIE >>> 16))
  const ip = address.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0
  o.setUint32(28, (ip ^ MAGIC_COOKIE) >>> 0)
  o.setUint16(32, FINGERPRINT)
  o.setUint16(34, 4)
  o.setUint32(36, (crc32(out.subarray(0, 32)) ^ FINGERPRINT_XOR) >>> 0)
  return out
}

/**
 * Where a relay answers STUN: each IPv4 TCP address it listens on, as bound (the transport manager's
 * addresses, not the announced ones — libp2p announces a public address only once AutoNAT v2 has had it
 * dialled back, seconds after start, so the announced list has no public address when the responder
 * starts). Loopback is left out: no peer behind a NAT asks there.
 */
export function stunEndpointsOf (listening: ReadonlyArray<{ toString: () => string }>): Array<{ host: string, port: number }> {
  return listening.flatMap(addr => {
    const match = /^\/ip4\/([^/]+)\/tcp\/(\d+)(?:\/p2p\/[^/]+)?$/.exec(addr.toString())
    return match === null || match[1]!.startsWith('127.') ? [] : [{ host: match[1]!, port: Number(match[2]) }]
  })
}

/**
 * Answers binding requests on each `host:port` (udp4); resolves to its stop function. Each socket is bound
 * to its own address, not 0.0.0.0: a reply must leave from the address the request went to, or the
 * client's NAT drops it as unsolicited.
 */
export async function startStunServer (endpoints: Array<{ host: string, port: number }>, log: (line: string) => void): Promise<() => Promise<void>> {
  const sockets: Socket[] = []
  const stop = async (): Promise<void> => { await Promise.all(sockets.map(async s => { await new Promise<void>(resolve => s.close(() => { resolve() })) })) }
  try {
    for (const { host, port } of endpoints) {
      const socket = createSocket('udp4')
      socket.on('message', (message, rinfo) => {
        const response = bindingResponse(message, rinfo.address, rinfo.port)
        if (response !== undefined) socket.send(response, rinfo.port, rinfo.address)
      })
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject)
        socket.bind(port, host, () => { socket.off('error', reject); resolve() })
      })
      socket.on('error', err => { log(`STUN responder on udp ${host}:${port}: ${err.message}`) })
      sockets.push(socket)
      log(`STUN responder on udp ${host}:${port}`)
    }
  } catch (err) {
    await stop()
    throw err
  }
  return stop
}
