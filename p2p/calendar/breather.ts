// Long loops on the main thread (an .ics import: planning, issuing and storing thousands of writes)
// give the event loop a turn every SLICE_MS, so the API keeps answering while they run.
const SLICE_MS = 15

/** A function to await inside such a loop: it yields (setImmediate) once SLICE_MS have passed. */
export function breather (): () => Promise<void> {
  let since = performance.now()
  return async () => {
    if (performance.now() - since < SLICE_MS) return
    await new Promise(resolve => setImmediate(resolve))
    since = performance.now()
  }
}
