// Round-trip times of connected peers, measured with libp2p ping on connect and then periodically.
import type { PeerId } from '@libp2p/interface'
import type { TidepoolNode } from './create-node.ts'

export const PING_INTERVAL_MS = 15_000
export const PING_TIMEOUT_MS = 5_000

export class LatencyMonitor {
  private readonly latency = new Map<string, number>()
  private timer?: NodeJS.Timeout
  private readonly onConnect = (event: CustomEvent<PeerId>): void => { void this.measure(event.detail) }
  private readonly onDisconnect = (event: CustomEvent<PeerId>): void => { this.latency.delete(event.detail.toString()) }

  private readonly node: TidepoolNode
  private readonly onMeasured: (peerId: string, latencyMs: number) => void

  constructor (node: TidepoolNode, onMeasured: (peerId: string, latencyMs: number) => void) {
    this.node = node
    this.onMeasured = onMeasured
  }

  start (): void {
    this.node.addEventListener('peer:connect', this.onConnect)
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    this.timer = setInterval(() => {
      for (const peerId of new Set(this.node.getConnections().map(c => c.remotePeer))) void this.measure(peerId)
    }, PING_INTERVAL_MS)
    this.timer.unref()
  }

  stop (): void {
    clearInterval(this.timer)
    this.node.removeEventListener('peer:connect', this.onConnect)
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
  }

  get (peerId: string): number | null {
    return this.latency.get(peerId) ?? null
  }

  /** Pings once; a failed ping leaves the last good figure (a dead peer is caught by the connection closing). */
  async measure (peerId: PeerId): Promise<number | null> {
    try {
      const rtt = await this.node.services.ping.ping(peerId, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) })
      const key = peerId.toString()
      this.latency.set(key, rtt)
      this.onMeasured(key, rtt)
      return rtt
    } catch {
      return null
    }
  }
}
