// Transfer rate and ETA over a sliding window, and a byte-rate cap; the clock is passed in.
//
// Bytes arrive in lumps (a chunk, a run of chunks), so the rate is measured from one arrival to the
// last: the bytes that came after the window's first arrival over the time they took. Counting the
// first lump over a span that starts with it is how a 0.5 MB/s download once read 2.1 MB/s. At the
// start the first "arrival" is the moment the requests went out (`begin`): what queued up before the
// first read then counts over the time it really took, not over the instant it was read in.

/** The rate is the average over about this long. */
export const RATE_WINDOW_MS = 10_000
/** No ETA in a download's first seconds: a few chunks say little about the rest. */
export const ETA_HIDDEN_MS = 5_000
/** An ETA only while the rate of the window's recent half is within this factor of the whole window's. */
export const ETA_STABLE_FACTOR = 1.5
/** No rate over less than this: a chunk that came 50 ms after the request says little about the next. */
export const MIN_RATE_SPAN_MS = 2_000

interface Sample { at: number, bytes: number }

export class RateMeter {
  private readonly samples: Sample[] = []
  private firstAt: number | undefined

  /** The moment the first requests went out: the starting point of the first arrivals. */
  begin (now: number): void {
    if (this.samples.length === 0) this.add(0, now)
  }

  add (bytes: number, now: number): void {
    this.firstAt ??= now
    this.samples.push({ at: now, bytes })
    // Keep the window and the one arrival before it, the window's starting point.
    while (this.samples.length > 1 && this.samples[1]!.at <= now - RATE_WINDOW_MS) this.samples.shift()
  }

  /** Bytes per second over the window ending at now; 0 until a second arrival, or when nothing came for a window. */
  rate (now: number): number {
    return this.rateOver(now, RATE_WINDOW_MS)
  }

  /**
   * Seconds left for `remainingBytes`, or null when a guess would mislead: in the first seconds, with no
   * rate, or while the rate changes (the recent half of the window differs from the whole).
   */
  eta (remainingBytes: number, now: number): number | null {
    if (remainingBytes <= 0) return 0
    if (this.firstAt === undefined || now - this.firstAt < ETA_HIDDEN_MS) return null
    const whole = this.rateOver(now, RATE_WINDOW_MS)
    const recent = this.rateOver(now, RATE_WINDOW_MS / 2)
    if (whole <= 0 || recent <= 0 || Math.max(whole, recent) / Math.min(whole, recent) > ETA_STABLE_FACTOR) return null
    return etaSeconds(remainingBytes, whole)
  }

  private rateOver (now: number, windowMs: number): number {
    const arrived = this.samples.filter(s => s.at <= now)
    // The starting point: the last arrival at or before the window's start, else the first one known.
    let start = 0
    for (let i = 0; i < arrived.length; i++) if (arrived[i]!.at <= now - windowMs) start = i
    const after = arrived.slice(start + 1)
    const from = arrived[start]?.at
    if (after.length === 0 || from === undefined) return 0
    const newest = after.at(-1)!.at
    // Up to one usual gap after the newest arrival, the next is simply not due yet; after that, a
    // stall counts and the rate falls.
    const gap = (newest - from) / after.length
    const span = Math.max(newest, now - gap) - from
    // The span measured over, not the time since `from`: 2 s after the request, a burst followed by
    // paced chunks once read over 1.8 s and showed more than the cap and its burst allow.
    return span >= MIN_RATE_SPAN_MS ? after.reduce((sum, s) => sum + s.bytes, 0) * 1000 / span : 0
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
