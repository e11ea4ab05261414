// `tidepool simulate-attack --q Q --z LIST --trials N [--seed S] [--json]`: plays the paper's race
// `trials` times per (q, z) and prints, per pair, the measured rate with its 95 % interval beside the
// paper's figure and the exact probability (a JSON object per line with --json, else a table row).
import { simulateAttack, type RaceResult } from './race.ts'
import { seededRandom } from '../../seeded-random.ts'
import { numberList, parseFlags, SubcommandUsageError, type Subcommand } from '../../subcommand.ts'

export const SIMULATE_ATTACK_USAGE = `usage: tidepool simulate-attack --q Q[,Q...] --z Z[,Z...] --trials N [--seed S] [--json]

  --q       the attacker's share of the hash rate, in (0, 0.5)
  --z       confirmations the merchant waits for (0-100), a list runs each
  --trials  races per (q, z), 1-10000000
  --seed    seed of the random choices (default 1), for repeatable runs
  --json    one JSON object per (q, z): {q, z, trials, measured, ci, paper, exact}`

export interface AttackRequest { q: number[], z: number[], trials: number, seed: number, json: boolean }

function required (flag: string, text: string | undefined, valid: (x: number) => boolean): number[] {
  if (text === undefined) throw new SubcommandUsageError(`--${flag} is required`)
  return numberList(flag, text, valid)
}

export function parseAttackArgs (argv: string[]): AttackRequest {
  const values = parseFlags(argv, { q: { type: 'string' }, z: { type: 'string' }, trials: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false } })
  return {
    q: required('q', values.q, x => x > 0 && x < 0.5),
    z: required('z', values.z, x => Number.isInteger(x) && x >= 0 && x <= 100),
    trials: required('trials', values.trials, x => Number.isInteger(x) && x >= 1 && x <= 10_000_000)[0]!,
    seed: values.seed === undefined ? 1 : numberList('seed', values.seed, Number.isInteger)[0]!,
    json: values.json ?? false
  }
}

function row (r: RaceResult): string {
  const f = (x: number | null): string => x === null ? '       —' : x.toFixed(7)
  return `q=${r.q} z=${String(r.z).padStart(3)}  measured ${f(r.measured)} [${f(r.ci[0])}, ${f(r.ci[1])}]  paper ${f(r.paper)}  exact ${f(r.exact)}`
}

export const simulateAttackCommand: Subcommand = {
  usage: SIMULATE_ATTACK_USAGE,
  run (argv, out) {
    const request = parseAttackArgs(argv)
    const random = seededRandom(request.seed)
    for (const q of request.q) {
      for (const z of request.z) {
        const result = simulateAttack(q, z, request.trials, random)
        out(request.json ? JSON.stringify(result) : row(result))
      }
    }
  }
}
