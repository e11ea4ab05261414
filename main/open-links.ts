// Share links opened from outside the app: a click on `tidepool://<cid>?name=…&size=…[#key=…]` in a
// browser or a chat brings the desktop app up asking whether to download it (the renderer asks; nothing
// starts without a yes). Pure; no electron import.
//
// How a link reaches main: Windows and Linux start the app (or a second instance, whose arguments
// arrive through 'second-instance') with the link among the command-line arguments — Chromium may put
// it after `--` or among its own switches; macOS fires 'open-url', possibly before the app is ready.
// Either way the core may not be up yet (cold start, crash, restart), so links wait in a LinkInbox
// until it is.
import { parseLink } from '../p2p/files/link.ts'

export const LINK_SCHEME = 'tidepool'
/** Longest link accepted from outside (the API's own limit for `link`). */
export const MAX_LINK_LENGTH = 4096

const SCHEME_PREFIX = /^tidepool:\/\//i

/**
 * A share link from outside, with its scheme lowercased (p2p/files/link.ts reads it case-sensitively),
 * or null for anything else. A tidepool:// text that does not parse is reported to `log` — never with
 * its fragment, which may hold a private share's key.
 */
export function openableLink (text: string, log: (line: string) => void): string | null {
  const trimmed = text.trim()
  if (!SCHEME_PREFIX.test(trimmed)) return null
  if (trimmed.length > MAX_LINK_LENGTH) {
    log(`tidepool: ignored a ${LINK_SCHEME}:// link of ${trimmed.length} characters (at most ${MAX_LINK_LENGTH})`)
    return null
  }
  const link = `${LINK_SCHEME}://${trimmed.slice(`${LINK_SCHEME}://`.length)}`
  try {
    parseLink(link)
  } catch (err) {
    log(`tidepool: ignored an invalid ${LINK_SCHEME}:// link: ${(err as Error).message}`)
    return null
  }
  return link
}

/** The share links among command-line arguments (anything else — flags, paths, junk — is skipped). */
export function linksInArgv (argv: readonly string[], log: (line: string) => void): string[] {
  const links: string[] = []
  for (const arg of argv) {
    const link = openableLink(arg, log)
    if (link !== null) links.push(link)
  }
  return links
}

export interface LinkInboxDeps {
  log: (line: string) => void
  /** A link whose opening failed while the core was up (e.g. the API refused it): tell the user. */
  failed: (error: Error) => void
}

/**
 * Links waiting for the core. `ready(open)` when the core is up hands every waiting link, in arrival
 * order and one at a time, to `open`, exactly once; `down()` when it goes away makes new links wait
 * again. A link already waiting (or being opened) is not queued twice. A failed `open` is reported and
 * the next link goes on — unless the core went down meanwhile: then the link waits for the next
 * `ready`, since its failure says nothing about the link.
 */
export class LinkInbox {
  readonly #deps: LinkInboxDeps
  /** Waiting links; the head stays here while it is being opened, so that a duplicate is recognized. */
  readonly #pending: string[] = []
  #open: ((link: string) => Promise<void>) | null = null
  /** Bumped by every ready/down: tells an open that failed because the core went away. */
  #epoch = 0
  /** Set and cleared synchronously by the loop, so that a link added as it ends is never missed. */
  #running = false
  #done: Promise<void> = Promise.resolve()

  constructor (deps: LinkInboxDeps) {
    this.#deps = deps
  }

  /** Queues links; resolves once nothing more can be opened for now. */
  add (links: Iterable<string>): Promise<void> {
    for (const link of links) {
      if (!this.#pending.includes(link)) this.#pending.push(link)
    }
    return this.#drain()
  }

  /** The core is up: open what waits. Resolves once nothing more can be opened for now. */
  ready (open: (link: string) => Promise<void>): Promise<void> {
    this.#open = open
    this.#epoch++
    return this.#drain()
  }

  /** The core is down (crashed, restarting, quitting): links wait. */
  down (): void {
    this.#open = null
    this.#epoch++
  }

  #drain (): Promise<void> {
    if (!this.#running) {
      this.#running = true
      this.#done = this.#openAll()
    }
    return this.#done
  }

  async #openAll (): Promise<void> {
    try {
      for (;;) {
        const open = this.#open
        const link = this.#pending[0]
        if (open === null || link === undefined) return
        const epoch = this.#epoch
        try {
          await open(link)
        } catch (err) {
          if (this.#epoch !== epoch) {
            this.#deps.log(`tidepool: a ${LINK_SCHEME}:// link waits for the core: ${(err as Error).message}`)
            continue
          }
          this.#deps.log(`tidepool: could not open a ${LINK_SCHEME}:// link: ${(err as Error).message}`)
          this.#deps.failed(err instanceof Error ? err : new Error(String(err)))
        }
        this.#pending.shift()
      }
    } finally {
      this.#running = false
    }
  }
}
