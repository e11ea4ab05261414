// Validation of every argument that crosses the IPC bridge, before main acts on it.
// Pure: no electron, no I/O; the platform's path rules come in as an argument.
import type { PlatformPath } from 'node:path'
import { CodedError } from '../p2p/coded-error.ts'

/** Longest path main accepts from the renderer (characters). Longer than any real OS limit. */
export const MAX_PATH_LENGTH = 4096

export type IpcValidationCode =
  | 'bad-arity'
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'nul-byte'
  | 'not-absolute'
  | 'network-path'
  | 'untrusted-sender'
  | 'not-saved-file'

/** A rejected IPC call. Matched by `name` and `code`, never by message text. */
export class IpcValidationError extends CodedError<IpcValidationCode> {
  override name = 'IpcValidationError'
}

function arity (channel: string, args: readonly unknown[], expected: number): void {
  if (args.length !== expected) {
    throw new IpcValidationError('bad-arity', `${channel}: expected ${expected} argument(s), got ${args.length}`)
  }
}

/** `pickFiles()` takes no arguments. */
export function validatePickFilesArgs (args: readonly unknown[]): void {
  arity('pickFiles', args, 0)
}

/**
 * `revealInFolder(path)` and `openPath(path)`: one string, at most MAX_PATH_LENGTH characters, no NUL,
 * absolute for the platform, and not a network (UNC) path — asking the OS to look at `\\host\share`
 * would make it connect to that host and may leak the user's credentials to it. Returns the
 * normalized path. (Whether the library names it is main's next check, ipc-handlers.ts.)
 */
export function validatePathArgs (name: 'revealInFolder' | 'openPath', args: readonly unknown[], path: Pick<PlatformPath, 'isAbsolute' | 'normalize'>): string {
  arity(name, args, 1)
  const value = args[0]
  if (typeof value !== 'string') {
    throw new IpcValidationError('not-a-string', `${name}: path must be a string, got ${value === null ? 'null' : typeof value}`)
  }
  if (value.length === 0) throw new IpcValidationError('empty', `${name}: path is empty`)
  if (value.length > MAX_PATH_LENGTH) {
    throw new IpcValidationError('too-long', `${name}: path is ${value.length} characters, more than ${MAX_PATH_LENGTH}`)
  }
  if (value.includes('\0')) throw new IpcValidationError('nul-byte', `${name}: path contains a NUL character`)
  if (isNetworkPath(value)) throw new IpcValidationError('network-path', `${name}: network paths are not allowed`)
  if (!path.isAbsolute(value)) throw new IpcValidationError('not-absolute', `${name}: path must be absolute`)
  const normalized = path.normalize(value)
  // normalize() may turn a Windows "\\?\UNC\host" style path into a network one: check again.
  if (isNetworkPath(normalized)) throw new IpcValidationError('network-path', `${name}: network paths are not allowed`)
  return normalized
}

/** `\\host\share`, `//host/share`, `\\?\UNC\…` and friends: anything starting with two separators. */
function isNetworkPath (value: string): boolean {
  return /^[\\/]{2}/.test(value)
}

/** The paths main hands back from the open dialog: only non-empty strings, never anything else. */
export function sanitizePickedPaths (paths: readonly unknown[]): string[] {
  return paths.filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= MAX_PATH_LENGTH)
}
