// The download rate and ETA as the UI shows them (p2p/files/meter.ts): smoothed, never inflated by the
// first lump, and an ETA only when it means something. The clock is the tests' own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ETA_HIDDEN_MS, MIN_RATE_SPAN_MS, RATE_WINDOW_MS, RateLimit, RateMeter } from '../../../p2p/files/meter.ts'
import { seededRandom } from '../../../p2p/seeded-random.ts'

const CHUNK = 256 * 1024
const RUN = 8 * CHUNK

/** Feeds `bytes` every `everyMs` from `from` until `until`; returns the meter and the arrival times. */
function steady (bytes: number, everyMs: number, until: number, meter = new RateMeter(), from = 0): RateMeter {
  for (let at = from; at <= until; at += everyMs) meter.add(bytes, at)
  return meter
}

/** Asserts `value` is within `fraction` of `expected`. */
function near (value: number, expected: number, fraction: number, what: string): void {
  assert.ok(Math.abs(value - expected) <= expected * fraction, `${what}: ${value} is not within ${fraction * 100}% of ${expected}`)
}

test('the first lump alone gives no rate (it once read 2.1 MB/s on a 0.5 MB/s download)', () => {
  const meter = new RateMeter()
  meter.add(RUN, 0)
  assert.equal(meter.rate(0), 0)
  assert.equal(meter.rate(1_000), 0)
  assert.equal(meter.rate(3_000), 0)
})

test('chunks that queued before the first read count from when they were asked for, not from when they were read', () => {
  // Asked at 0; the downloader, busy, reads the first four paced chunks (0.5 MB/s) together at 2 s.
  const meter = new RateMeter()
  meter.begin(0)
  for (let i = 0; i < 4; i++) meter.add(CHUNK, 2_000 + i)
  near(meter.rate(2_500), 4 * CHUNK / 2, 0.01, 'over the time since the request (the next chunk is not due yet)')
  // Not on a too short span: a chunk 50 ms after the request would read 5 MB/s.
  const early = new RateMeter()
  early.begin(0)
  early.add(CHUNK, 50)
  assert.equal(early.rate(MIN_RATE_SPAN_MS - 1), 0)
  // The next chunk counts as due one usual gap (50 ms) before now: the span is 50 ms shorter than that.
  assert.equal(early.rate(MIN_RATE_SPAN_MS + 49), 0)
  near(early.rate(MIN_RATE_SPAN_MS + 50), CHUNK / (MIN_RATE_SPAN_MS / 1000), 0.01, 'once the span is long enough')
})

test('a capped provider\'s burst and paced chunks never read above the cap plus the burst over 2 s', () => {
  // The provider's token bucket (RateLimit), full when the request comes: a second's worth and the
  // chunk that overdraws it go at once, then a chunk each time the bucket is out of debt. A clean-clone
  // CI run read 896 KB/s here at 0.5 MB/s, over a span of 1.8 s.
  const cap = 500_000
  const limit = new RateLimit(cap, -5_000)
  const meter = new RateMeter()
  meter.begin(0)
  const arrivals: number[] = []
  for (let now = 0; now < 20_000;) {
    now += limit.wait(now)
    limit.take(CHUNK, now)
    arrivals.push(now)
  }
  const bound = (cap + CHUNK + cap * MIN_RATE_SPAN_MS / 1000) / (MIN_RATE_SPAN_MS / 1000)
  let shown = 0
  for (let now = 0, next = 0; now < 20_000; now += 5) {
    while (next < arrivals.length && arrivals[next]! <= now) meter.add(CHUNK, arrivals[next++]!)
    const rate = meter.rate(now)
    assert.ok(rate <= bound, `at ${now} ms: ${Math.round(rate)} B/s above ${Math.round(bound)}`)
    if (rate > 0) shown++
  }
  assert.ok(shown > 3000, 'a rate shows from about 2 s on')
  near(meter.rate(19_995), cap, 0.1, 'the cap once the burst is a window behind')
})

test('a 0.5 MB/s download arriving in 2 MiB runs reads 0.5 MB/s between the runs as well as on them', () => {
  const rate = 500_000
  const every = RUN / rate * 1000
  const meter = new RateMeter()
  for (let run = 0; run < 10; run++) {
    meter.add(RUN, run * every)
    if (run === 0) continue
    // Anywhere between two runs (the next is not due yet), not only at an arrival.
    for (const into of [0, 0.25, 0.5, 0.99]) near(meter.rate(run * every + into * every), rate, 0.01, `run ${run}, ${into} of the way to the next`)
  }
})

test('a rate from chunks every half second, and the same after the window has moved on', () => {
  const meter = steady(CHUNK, 500, 30_000)
  near(meter.rate(30_000), CHUNK * 2, 0.01, 'at 30 s')
  near(meter.rate(30_250), CHUNK * 2, 0.01, 'between chunks')
})

test('four providers whose chunks land at jittery times read as their sum', () => {
  const random = seededRandom(14)
  const meter = new RateMeter()
  const arrivals: number[] = []
  // Each provider sends a chunk about every 200 ms, give or take 150 ms: about 5.2 MB/s together.
  for (let p = 0; p < 4; p++) for (let at = random() * 200; at < 20_000; at += 50 + random() * 300) arrivals.push(at)
  arrivals.sort((a, b) => a - b)
  for (const at of arrivals) meter.add(CHUNK, at)
  const truth = arrivals.filter(at => at > 20_000 - RATE_WINDOW_MS).length * CHUNK / (RATE_WINDOW_MS / 1000)
  near(meter.rate(20_000), truth, 0.1, 'four providers')
})

test('a stall brings the rate down, to 0 once a whole window passed with nothing', () => {
  const meter = steady(CHUNK, 250, 20_000)
  const before = meter.rate(20_000)
  assert.ok(meter.rate(23_000) < before * 0.85, 'falls during the stall')
  assert.equal(meter.rate(20_000 + RATE_WINDOW_MS + 1), 0)
  assert.equal(meter.eta(10 * CHUNK, 20_000 + RATE_WINDOW_MS + 1), null)
})

test('no ETA in the first seconds, then the remaining bytes over the rate', () => {
  const meter = steady(CHUNK, 500, ETA_HIDDEN_MS - 500)
  assert.equal(meter.eta(100 * CHUNK, ETA_HIDDEN_MS - 500), null, 'first seconds')
  steady(CHUNK, 500, 12_000, meter, ETA_HIDDEN_MS)
  assert.equal(meter.eta(100 * CHUNK, 12_000), 50)
  assert.equal(meter.eta(0, 12_000), 0, 'nothing left')
})

test('no ETA while the rate changes: a slowdown hides it until the window agrees again', () => {
  const meter = steady(CHUNK, 100, 20_000)
  assert.notEqual(meter.eta(100 * CHUNK, 20_000), null, 'steady at first')
  // A fifth of the speed from here on.
  steady(CHUNK, 500, 24_000, meter, 20_500)
  assert.equal(meter.eta(100 * CHUNK, 24_000), null, 'just after the slowdown')
  steady(CHUNK, 500, 40_000, meter, 24_500)
  assert.equal(meter.eta(100 * CHUNK, 40_000), 50, 'settled at the new rate')
})
