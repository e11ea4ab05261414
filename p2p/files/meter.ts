// Transfer rate over a sliding window and a byte-rate cap; the clock is passed in.
export const RATE_WINDOW_MS = 5_000

export class RateMeter {
  private readonly samples: Array<{ at: number, bytes: number }> = []

  add (bytes: number, now: number): void {
    this.samples.push({ at: now, bytes })
    while (this.samples.length > 0 && this.samples[0]!.at < now - RATE_WINDOW_MS) this.samples.shift()
  }

  /** Bytes per second over the window ending at now. */
  rate (now: number): number {
    const recent = this.samples.filter(s => s.at >= now - RATE_WINDOW_MS)
    if (recent.length === 0) return 0
    const span = Math.max(now - recent[0]!.at, 1_000)
    return recent.reduce((sum, s) => sum + s.bytes, 0) / (span / 1000)
  }
}

export function etaSeconds (remainingBytes: number, bytesPerSecond: number): number | null {
  if (remainingBytes <= 0) return 0
  return bytesPerSecond > 0 ? Math.ceil(remainingBytes / bytesPerSecond) : null
}

/** A token bucket: how long to wait before taking `bytes` so the average stays under the cap. */
export class RateLimit {
  readonly bytesPerSecond: number
  private available: number
  private last: number

  constructor (bytesPerSecond: number, now: number) {
    this.bytesPerSecond = bytesPerSecond
    this.available = 0
    this.last = now
  }

  private refill (now: number): void {
    this.available = Math.min(this.available + (now - this.last) / 1000 * this.bytesPerSecond, this.bytesPerSecond)
    this.last = now
  }

  /** Milliseconds until the bucket is out of debt. */
  wait (now: number): number {
    this.refill(now)
    return this.available >= 0 ? 0 : Math.ceil(-this.available / this.bytesPerSecond * 1000)
  }

  take (bytes: number, now: number): void {
    this.refill(now)
    this.available -= bytes
  }
}
