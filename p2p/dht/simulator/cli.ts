// `tidepool simulate-dht`: runs the routing experiments and prints one line per experiment
// (a JSON object with --json). Lists are allowed: --nodes 8,16,32 --fail 0.1,0.2 runs every pair.
import { SIMULATED_PROTOCOLS, runExperiment, type ExperimentResult, type SimulatedProtocol } from './experiments.ts'
import { numberList, parseFlags, SubcommandUsageError, type Subcommand } from '../../subcommand.ts'

export const SIMULATE_USAGE = `usage: tidepool simulate-dht --protocol chord|kademlia --nodes N[,N...] [--fail P[,P...]]
                             [--lookups L] [--seed S] [--successors R] [--json]

  --protocol   chord or kademlia (their routing rules, in a simulated network and clock)
  --nodes      network size(s), at least 2
  --fail       fraction(s) of nodes that fail at once, in [0, 1): lookups are measured right after
               the failures and again after one round of stabilization
  --lookups    lookups per experiment (default: 100 keys per node, at most 10000)
  --seed       seed of the simulation's random choices (default 1)
  --successors Chord's successor list length r (default: log2 N, at least 3)
  --json       one JSON object per experiment instead of a table row`

export interface SimulateRequest {
  protocol: SimulatedProtocol
  nodes: number[]
  fail: Array<number | undefined>
  lookups?: number
  seed?: number
  successors?: number
  json: boolean
}

function positiveInteger (flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : numberList(flag, text, x => Number.isInteger(x) && x >= 1)[0]
}

export function parseSimulateArgs (argv: string[]): SimulateRequest {
  const values = parseFlags(argv, {
    protocol: { type: 'string' },
    nodes: { type: 'string' },
    fail: { type: 'string' },
    lookups: { type: 'string' },
    seed: { type: 'string' },
    successors: { type: 'string' },
    json: { type: 'boolean', default: false }
  })
  const protocol = values.protocol
  if (protocol === undefined || !(SIMULATED_PROTOCOLS as readonly string[]).includes(protocol)) throw new SubcommandUsageError(`--protocol must be one of ${SIMULATED_PROTOCOLS.join(', ')}`)
  if (values.nodes === undefined) throw new SubcommandUsageError('--nodes is required')
  return {
    protocol: protocol as SimulatedProtocol,
    nodes: numberList('nodes', values.nodes, x => Number.isInteger(x) && x >= 2 && x <= 1_000_000),
    fail: values.fail === undefined ? [undefined] : numberList('fail', values.fail, x => x >= 0 && x < 1),
    lookups: positiveInteger('lookups', values.lookups),
    seed: positiveInteger('seed', values.seed),
    successors: positiveInteger('successors', values.successors),
    json: values.json ?? false
  }
}

export function formatRow (r: ExperimentResult): string {
  const failure = r.fail === undefined
    ? ''
    : `  fail ${r.fail}: failed lookups ${r.failedLookups} (after stabilization ${r.failedLookupsAfterStabilization}), keys lost ${r.keysLost}`
  return `${r.protocol.padEnd(8)} N=${String(r.nodes).padEnd(6)} path mean ${r.meanPathLength.toFixed(2)} p1 ${r.p1} p99 ${r.p99}  (½·log2 N = ${r.halfLog2N.toFixed(2)})  contacted ${r.meanContacted.toFixed(1)}  ${r.meanLatencyMs} ms simulated${failure}`
}

export const simulateDhtCommand: Subcommand = {
  usage: SIMULATE_USAGE,
  run (argv, out) {
    const request = parseSimulateArgs(argv)
    for (const nodes of request.nodes) {
      for (const fail of request.fail) {
        const result = runExperiment({ protocol: request.protocol, nodes, fail, lookups: request.lookups, seed: request.seed, successors: request.successors })
        out(request.json ? JSON.stringify(result) : formatRow(result))
      }
    }
  }
}
