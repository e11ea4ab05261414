// Store failures, by code: `disk-full` (no room to write: ENOSPC or a quota), `locked` (another process
// holds the database: another Tidepool on this data dir), `corrupt` (LevelDB found damage it cannot
// read past), `io` (any other failure of the disk).
import { CodedError } from '../coded-error.ts'

export type StoreErrorCode = 'disk-full' | 'locked' | 'corrupt' | 'io'

export class StoreError extends CodedError<StoreErrorCode> {
  override name = 'StoreError'
}

/** A database that could not be opened, with a hint that fits the cause. */
export class StoreOpenError extends CodedError<StoreErrorCode> {
  override name = 'StoreOpenError'
}

const HINTS: Record<StoreErrorCode, string> = {
  'disk-full': 'the disk is full: free some space and start Tidepool again',
  locked: 'is another Tidepool running on this data dir?',
  corrupt: 'the database is damaged',
  io: 'reading or writing the disk failed'
}

export function storeOpenError (what: string, path: string, err: unknown): StoreOpenError {
  const cause = storeErrorOf((err as Error & { cause?: unknown }).cause ?? err)
  return new StoreOpenError(cause.code, `cannot open ${what} at ${path}: ${cause.message} (${HINTS[cause.code]})`)
}

/**
 * What a LevelDB error means. classic-level gives a code for a lock and for corruption; a full disk is
 * only told by the OS's message inside its IO error (LevelDB passes strerror(errno) on, not errno).
 */
export function storeErrorOf (err: unknown): StoreError {
  if (err instanceof StoreError) return err
  const { code, message } = err as { code?: unknown, message?: unknown }
  const text = typeof message === 'string' ? message : String(err)
  if (code === 'LEVEL_LOCKED') return new StoreError('locked', text)
  if (code === 'LEVEL_CORRUPTION') return new StoreError('corrupt', text)
  if (/No space left on device|Disk quota exceeded/.test(text)) return new StoreError('disk-full', text)
  return new StoreError('io', text)
}
