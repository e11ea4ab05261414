// libp2p reports refused reservations and failed hole punches only through its debug logger. This
// ComponentLogger passes the error lines of the relay and DCUtR components on to Tidepool's log (once per
// distinct line a minute), and leaves everything else to libp2p's usual DEBUG-controlled logger.
import { defaultLogger } from '@libp2p/logger'
import type { ComponentLogger, Logger } from '@libp2p/interface'

const FORWARDED = /circuit-relay/
const REPEAT_MS = 60_000

/** debug-style formatting: %p peer, %a address, %e error, %s %d %o anything. */
export function formatLine (formatter: unknown, args: unknown[]): string {
  let i = 0
  const text = String(formatter).replace(/%[a-zA-Z%]/g, token => {
    if (token === '%%') return '%'
    const arg = args[i++]
    if (token === '%e') return (arg as Error)?.message ?? String(arg)
    return typeof arg === 'object' && arg !== null && !('toString' in arg && arg.toString !== Object.prototype.toString) ? JSON.stringify(arg, (_, v) => typeof v === 'bigint' ? String(v) : v) : String(arg)
  })
  return text
}

export function forwardingLogger (forward: (line: string) => void): ComponentLogger {
  const base = defaultLogger()
  const lastSent = new Map<string, number>()
  return {
    forComponent (name: string): Logger {
      const inner = base.forComponent(name)
      if (!FORWARDED.test(name)) return inner
      return new Proxy(inner, {
        get (target, key, receiver) {
          if (key !== 'error') return Reflect.get(target, key, receiver)
          return (formatter: unknown, ...args: unknown[]) => {
            target.error(formatter, ...args)
            const line = `${name}: ${formatLine(formatter, args)}`
            const now = Date.now()
            if ((lastSent.get(line) ?? 0) + REPEAT_MS > now) return
            if (lastSent.size > 1000) lastSent.clear()
            lastSent.set(line, now)
            forward(line)
          }
        }
      })
    }
  }
}
