// Port mapping through the router (UPnP IGD, @libp2p/upnp-nat). A mapped address is not trusted until
// AutoNAT has dialled it back (autoConfirmAddress stays off). libp2p retries a failed mapping whenever our
// addresses change and searches for gateways every few minutes, logging only to its debug channel; the
// user's log gets each kind of failure once, not once per retry.
import { uPnPNAT, type UPnPNAT, type UPnPNATComponents } from '@libp2p/upnp-nat'
import type { ComponentLogger, Logger } from '@libp2p/interface'

/** libp2p's log formatter (%s, %d, %e, %a, %p…) filled in plainly: errors by their message. */
export function formatLibp2pLog (formatter: unknown, args: unknown[]): string {
  let i = 0
  return String(formatter).replace(/%[a-zA-Z]/g, () => {
    const arg = args[i++]
    return arg instanceof Error ? arg.message : String(arg)
  })
}

/** A ComponentLogger that also hands every error to `report`, once per kind (its format string). */
export function reportingErrorsOnce (base: ComponentLogger, report: (line: string) => void): ComponentLogger {
  const seen = new Set<string>()
  return {
    forComponent (name: string): Logger {
      const log = base.forComponent(name)
      return Object.assign((formatter: any, ...args: any[]) => { log(formatter, ...args) }, {
        error: (formatter: any, ...args: any[]) => {
          log.error(formatter, ...args)
          if (seen.has(String(formatter))) return
          seen.add(String(formatter))
          report(formatLibp2pLog(formatter, args))
        },
        trace: log.trace,
        enabled: log.enabled,
        newScope: (scope: string) => log.newScope(scope)
      })
    }
  }
}

export function portMapping (report: (line: string) => void): (components: UPnPNATComponents) => UPnPNAT {
  return components => uPnPNAT()({
    peerId: components.peerId,
    nodeInfo: components.nodeInfo,
    addressManager: components.addressManager,
    events: components.events,
    logger: reportingErrorsOnce(components.logger, line => { report(`port mapping (UPnP): ${line}`) })
  })
}
