// The library's list rules (pure): API answers and events reach the UI in either order, so an entry
// only ever replaces an older one (FileEntry.version).
import type { FileEntry } from '../api/types.ts'

/** The list with `file` put in, unless the list already holds a newer entry for it. */
export function upsertEntry (list: FileEntry[], file: FileEntry): FileEntry[] {
  const at = list.findIndex(f => f.cid === file.cid)
  if (at === -1) return [file, ...list]
  if (list[at]!.version > file.version) return list
  const next = [...list]
  next[at] = file
  return next
}

/**
 * The library after a full listing: per file the newer of the two entries; a file the listing lacks is
 * kept only if its entry is newer than the whole listing (added by an event after the listing was made;
 * an empty listing has nothing to date it by, so it is taken as it is).
 */
export function mergeSnapshot (current: FileEntry[], snapshot: FileEntry[]): FileEntry[] {
  const listedUpTo = snapshot.length === 0 ? Infinity : Math.max(...snapshot.map(f => f.version))
  const byCid = new Map(current.map(f => [f.cid, f]))
  const merged = snapshot.map(f => {
    const mine = byCid.get(f.cid)
    return mine !== undefined && mine.version > f.version ? mine : f
  })
  const listed = new Set(snapshot.map(f => f.cid))
  return [...current.filter(f => !listed.has(f.cid) && f.version > listedUpTo), ...merged]
}
