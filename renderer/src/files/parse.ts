// Checks a file entry from the API or the event stream field by field; anything malformed gives null.
import type { FileEntry, FileState } from '../api/types.ts'

const STATES: readonly FileState[] = ['sharing', 'downloading', 'complete', 'paused', 'failed']

const isString = (v: unknown): v is string => typeof v === 'string'
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)

export function parseFileEntry (v: unknown): FileEntry | null {
  if (v == null || typeof v !== 'object') return null
  const f = v as Record<string, unknown>
  if (!isString(f.cid) || !isString(f.name) || !isString(f.link)) return null
  if (!(f.size === null || isCount(f.size)) || !isCount(f.bytesDone) || !isCount(f.rateBytesPerSec)) return null
  if (!(f.etaSeconds === null || isCount(f.etaSeconds))) return null
  if (!STATES.includes(f.state as FileState) || (f.origin !== 'added' && f.origin !== 'downloaded')) return null
  if (typeof f.pinned !== 'boolean' || typeof f.private !== 'boolean' || !isStrings(f.providers) || !isStrings(f.dropped)) return null
  if (!isCount(f.fetchedChunks) || !isCount(f.resumedChunks)) return null
  if (!(f.path === null || isString(f.path))) return null
  if (f.error !== undefined && !isString(f.error)) return null
  if (!isCount(f.version)) return null
  return {
    cid: f.cid,
    name: f.name,
    size: f.size,
    state: f.state as FileState,
    origin: f.origin,
    pinned: f.pinned,
    private: f.private,
    link: f.link,
    bytesDone: f.bytesDone,
    rateBytesPerSec: f.rateBytesPerSec,
    etaSeconds: f.etaSeconds,
    providers: f.providers,
    dropped: f.dropped,
    fetchedChunks: f.fetchedChunks,
    resumedChunks: f.resumedChunks,
    path: f.path,
    ...(f.error === undefined ? {} : { error: f.error }),
    version: f.version
  }
}
