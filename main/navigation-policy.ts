// The URL rules of the desktop window. Pure: no electron, no I/O.
//
// The window shows one origin only: the core's local API, `http://127.0.0.1:PORT`. Everything else —
// navigating away, opening windows, asking for permissions, calling the IPC bridge — is refused
// unless it comes from, or stays on, that origin.

/** Longest URL handed to the OS browser (characters). */
export const MAX_EXTERNAL_URL_LENGTH = 2048

/**
 * The only permissions the UI may use: writing (sanitized) text to the clipboard, e.g. "copy address",
 * and notifications (calendar reminders shown by the OS).
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'notifications'])

function parseUrl (url: unknown): URL | undefined {
  if (typeof url !== 'string') return undefined
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * The origin of the core's API URL, if it is one the window may load: plain http on the IPv4
 * loopback address, a bare origin (no credentials, path, query or fragment). `new URL().origin`
 * normalizes it, so the comparisons below are exact string comparisons of origins.
 */
export function apiOriginOf (api: string): string | undefined {
  const u = parseUrl(api)
  if (u === undefined) return undefined
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') return undefined
  if (u.username !== '' || u.password !== '') return undefined
  if (u.pathname !== '/' || u.search !== '' || u.hash !== '') return undefined
  return u.origin
}

/** Is `url` on the API origin (http://127.0.0.1:PORT, no credentials)? */
export function isSameApiOrigin (url: unknown, apiOrigin: string | null | undefined): boolean {
  if (apiOrigin == null || apiOriginOf(apiOrigin) !== apiOrigin) return false
  const u = parseUrl(url)
  if (u === undefined) return false
  if (u.username !== '' || u.password !== '') return false
  return u.origin === apiOrigin
}

/** `will-navigate`, `will-frame-navigate`, `will-redirect`: stay on the API origin or go nowhere. */
export function isAllowedNavigation (url: unknown, apiOrigin: string | null | undefined): boolean {
  return isSameApiOrigin(url, apiOrigin)
}

/**
 * Links the UI opens in a new window are given to the OS browser only if they are https, carry no
 * credentials and are of sane length; everything else (http, file:, javascript:, custom schemes
 * that would start another program) is dropped.
 */
export function isSafeExternalUrl (url: unknown): boolean {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return false
  const u = parseUrl(url)
  if (u === undefined) return false
  return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === ''
}

/**
 * Permission requests and checks: only the allowed permissions, and only for the API origin.
 * `requestingUrl` may be a full URL or an origin (Electron gives both forms, with or without a
 * trailing slash).
 */
export function isPermissionAllowed (permission: string, requestingUrl: unknown, apiOrigin: string | null | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isSameApiOrigin(requestingUrl, apiOrigin)
}

/**
 * IPC calls are answered only for the top-level frame of a page on the API origin: the frame's URL
 * (`event.senderFrame.url`) must be on it, and the frame must have no parent.
 */
export function isTrustedSender (frame: { readonly url: string, readonly parent: unknown } | null | undefined, apiOrigin: string | null | undefined): boolean {
  if (frame == null) return false
  if (frame.parent != null) return false
  return isSameApiOrigin(frame.url, apiOrigin)
}
