// Sub-commands of `tidepool` that compute and print instead of starting a peer (the simulators).
// One shape for all: parse flags strictly, print a line per result, exit 2 with the usage on bad input.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'

export class SubcommandUsageError extends Error {
  override name = 'SubcommandUsageError'
  readonly code = 'usage'
}

export interface Subcommand {
  usage: string
  /** Throws SubcommandUsageError on bad flags; prints each result with `out`. */
  run: (argv: string[], out: (line: string) => void) => void
}

/** Strict flag parsing whose errors are usage errors. */
export function parseFlags<const T extends ParseArgsOptionsConfig> (argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values
  } catch (err) {
    throw new SubcommandUsageError((err as Error).message)
  }
}

/** A comma-separated list of numbers, each passing `valid`. */
export function numberList (flag: string, text: string, valid: (x: number) => boolean): number[] {
  const values = text.split(',').map(s => s.trim() === '' ? NaN : Number(s))
  if (values.some(x => !Number.isFinite(x) || !valid(x))) throw new SubcommandUsageError(`--${flag}: ${JSON.stringify(text)} is not valid`)
  return values
}

/** Runs a sub-command; returns its exit code (2 on a usage error). */
export function runSubcommand (name: string, command: Subcommand, argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(command.usage)
    return 0
  }
  try {
    command.run(argv, out)
    return 0
  } catch (e) {
    if (!(e instanceof SubcommandUsageError)) throw e
    err(`tidepool ${name}: ${e.message}\n${command.usage}`)
    return 2
  }
}
