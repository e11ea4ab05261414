// What the URL fragment brings in: the API token (`#token=…`), which lives in sessionStorage for this
// window, and a view to open (`#view=files`, from the desktop app after a share link was opened).
// Each is taken once and removed from the address bar, so that it is not bookmarked, shared or shown.

export const TOKEN_STORAGE_KEY = 'tidepool.api-token'
/** base64url of 32 bytes is 43 characters; accept any plausible base64url text. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}={0,2}$/

/** This window's session storage, or null where storage is off. */
export function storage (): Storage | null {
  try {
    return window.sessionStorage
  } catch {
    return null
  }
}

/** The value of key in a fragment like `#token=abc&view=files` (with or without the `#`). */
function fragmentParam (hash: string, key: string): string | null {
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get(key)
}

/** Pulls `token` out of a fragment like `#token=abc&x=y`; null when absent. */
export function tokenFromFragment (hash: string): string | null {
  const token = fragmentParam(hash, 'token')
  return token != null && token.trim() !== '' ? token.trim() : null
}

/**
 * Accepts what a user may paste: the bare token, or the whole URL printed by `tidepool --headless`
 * (`http://127.0.0.1:PORT/#token=…`). Returns null when it does not look like a token.
 */
export function tokenFromPaste (text: string): string | null {
  const trimmed = text.trim()
  const hashAt = trimmed.indexOf('#')
  const candidate = hashAt >= 0 ? tokenFromFragment(trimmed.slice(hashAt)) : trimmed
  return candidate != null && TOKEN_SHAPE.test(candidate) ? candidate : null
}

/** Pulls `view` out of a fragment like `#token=abc&view=files`; null when absent. */
export function viewFromFragment (hash: string): string | null {
  const view = fragmentParam(hash, 'view')
  return view != null && view !== '' ? view : null
}

/** A share link handed over by the desktop app (`#…&link=tidepool%3A…`), then scrubbed; null when absent. */
export function takeLink (): string | null {
  const link = fragmentParam(location.hash, 'link')
  scrubFragmentKey('link')
  return link != null && link !== '' ? link : null
}

/** Removes one key from the address bar's fragment, keeping the others (and no bare `#`). */
function scrubFragmentKey (key: string): void {
  const params = new URLSearchParams(location.hash.slice(1))
  if (!params.has(key)) return
  params.delete(key)
  const rest = params.toString()
  history.replaceState(history.state, '', location.pathname + location.search + (rest === '' ? '' : `#${rest}`))
}

/** Reads the token on load: from the fragment (then stored and scrubbed), else from sessionStorage. */
export function takeToken (): string | null {
  const fromHash = tokenFromFragment(location.hash)
  if (fromHash != null) {
    storage()?.setItem(TOKEN_STORAGE_KEY, fromHash)
    scrubFragmentKey('token')
    return fromHash
  }
  return storage()?.getItem(TOKEN_STORAGE_KEY) ?? null
}

/** The view the fragment asks for, if any, then scrubbed. */
export function takeView (): string | null {
  const view = viewFromFragment(location.hash)
  scrubFragmentKey('view')
  return view
}

export function saveToken (token: string): void {
  storage()?.setItem(TOKEN_STORAGE_KEY, token)
}

export function forgetToken (): void {
  storage()?.removeItem(TOKEN_STORAGE_KEY)
}
