// How long the event loop was blocked while a test ran: in-process peers share this loop, so an API
// request or an incoming message that blocks it shows here. perf_hooks.monitorEventLoopDelay gives the
// wall-clock delays; on a machine shared with other work most of a long delay can be time this process
// was not scheduled at all, so a delay counts as a block only as far as this process was on a CPU
// meanwhile (process.cpuUsage over the same tick).
import { monitorEventLoopDelay } from 'node:perf_hooks'

/** Any single block above this is a bug: move the work to a worker or chunk it. */
export const MAX_LOOP_BLOCK_MS = 100
const TICK_MS = 10

export interface LoopDelay {
  /** Stops watching. `blockMs`: the longest delay this process spent running (the bug); `wallMs`, `p99Ms`: the histogram's. */
  stop: () => { blockMs: number, wallMs: number, p99Ms: number }
}

export function watchLoopDelay (): LoopDelay {
  const histogram = monitorEventLoopDelay({ resolution: TICK_MS })
  histogram.enable()
  let blockMs = 0
  let lastAt = performance.now()
  let lastCpu = process.cpuUsage()
  const ticker = setInterval(() => {
    const at = performance.now()
    const cpu = process.cpuUsage(lastCpu)
    const delay = at - lastAt - TICK_MS
    blockMs = Math.max(blockMs, Math.min(delay, (cpu.user + cpu.system) / 1000))
    lastAt = at
    lastCpu = process.cpuUsage()
  }, TICK_MS)
  return {
    stop: () => {
      clearInterval(ticker)
      histogram.disable()
      // The histogram counts its own resolution in every sample.
      return { blockMs, wallMs: Math.max(0, histogram.max / 1e6 - TICK_MS), p99Ms: Math.max(0, histogram.percentile(99) / 1e6 - TICK_MS) }
    }
  }
}
