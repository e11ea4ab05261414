// What a finished download is called in the downloads folder (pure): the name it was shared under,
// made safe for any file system, and never a file that is already there — `a.txt`, then `a (1).txt`,
// `a (2).txt`… as browsers and file managers do.

/** A name's bytes at most (ext4, APFS, NTFS all stop near here). */
export const MAX_NAME_BYTES = 255

/** Compound extensions that stay whole: `backup.tar.gz` → `backup (1).tar.gz`. */
const COMPOUND_EXTENSION = /\.tar\.(?:gz|bz2|xz|zst|lz|lzma|z)$/i
/** An extension: a short tail without spaces after the last dot (`Mr. Smith` has none). */
const EXTENSION = /\.[^.\s]{1,16}$/
/** A number the name already carries: `a (3).txt` taken goes on with `a (4).txt`, not `a (3) (1).txt`. */
const NUMBERED = /^(.*) \((\d{1,9})\)$/
/** Device names Windows reserves whatever the extension (`con.txt` opens the console). */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i

/**
 * The name a peer gave, as a file name this machine can take: no path separators, no control or
 * characters Windows refuses, no trailing dots or spaces, no device names, at most MAX_NAME_BYTES bytes
 * (the extension kept); `fallback` (e.g. the content id) when nothing usable is left.
 */
export function safeFileName (name: string, fallback: string): string {
  let safe = name.replace(/[\u0000-\u001f\u007f/\\<>:"|?*]/g, '_').trim().replace(/[. ]+$/, '')
  if (safe === '' || /^\.+$/.test(safe)) return fallback
  if (WINDOWS_DEVICE.test(safe)) safe = `_${safe}`
  const { stem, extension } = splitName(safe)
  return fitBytes(stem, extension)
}

/** `stem + tail`, the stem shortened (never the tail: number, extension) to fit MAX_NAME_BYTES of UTF-8. */
function fitBytes (stem: string, tail: string): string {
  const room = MAX_NAME_BYTES - byteLength(tail)
  let cut = [...stem]
  while (cut.length > 1 && byteLength(cut.join('')) > room) cut = cut.slice(0, -1)
  return cut.join('') + tail
}

const byteLength = (text: string): number => new TextEncoder().encode(text).byteLength

/** `a.txt` → `a` + `.txt`; `.bashrc` is all stem; `x.tar.gz` keeps `.tar.gz` together. */
export function splitName (name: string): { stem: string, extension: string } {
  const match = COMPOUND_EXTENSION.exec(name) ?? EXTENSION.exec(name)
  // A dot that starts the name makes a hidden file, not an extension.
  if (match === null || match.index === 0) return { stem: name, extension: '' }
  return { stem: name.slice(0, match.index), extension: name.slice(match.index) }
}

/** The names to try, in order: the name itself, then numbered ones after any number it already has. */
export function * nameCandidates (name: string): Generator<string> {
  yield name
  const { stem, extension } = splitName(name)
  const numbered = NUMBERED.exec(stem)
  const base = numbered === null ? stem : numbered[1]!
  for (let n = numbered === null ? 1 : Number(numbered[2]) + 1; ; n++) yield fitBytes(base, ` (${n})${extension}`)
}
