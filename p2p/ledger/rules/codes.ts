// Every reason a block or transaction is refused, as one union, each with the ban score a peer earns
// for sending it. Consensus codes (any peer would refuse) are apart from mempool policy (this peer's
// choice), because only the first may ever count against a sender's honesty.

export const CONSENSUS_BAN_SCORE = {
  // Encoding and size
  malformed: 100,
  'block-too-large': 100,
  'tx-too-large': 100,
  // Header
  'bad-pow': 100,
  'bad-bits': 100,
  'time-too-old': 100,
  // May become valid as the clock moves on: never the sender's fault on its own.
  'time-too-new': 0,
  'bad-version': 100,
  // Block body
  'bad-merkle-root': 100,
  'no-coinbase': 100,
  'multiple-coinbase': 100,
  'duplicate-tx': 100,
  'bad-coinbase-height': 100,
  'bad-coinbase-amount': 100,
  // Transaction on its own
  'tx-no-inputs': 100,
  'tx-no-outputs': 100,
  'bad-amount': 100,
  'output-total-too-large': 100,
  'duplicate-input': 100,
  'bad-unlock': 100,
  // Transaction against the unspent outputs
  'missing-input': 100,
  'immature-coinbase-spend': 100,
  'wrong-key': 100,
  'bad-signature': 100,
  overspend: 100,
  // Descends from a block already found invalid.
  'invalid-ancestor': 100
} as const

export const POLICY_BAN_SCORE = {
  'coinbase-outside-block': 100,
  'mempool-conflict': 0,
  'already-known': 0,
  'fee-too-low': 0,
  'mempool-full': 0,
  // A spend of an output we don't know yet (it may be in a block we lack): not provably a lie.
  'missing-input-mempool': 0
} as const

export type ConsensusCode = keyof typeof CONSENSUS_BAN_SCORE
export type PolicyCode = keyof typeof POLICY_BAN_SCORE
export type RuleCode = ConsensusCode | PolicyCode

export function banScore (code: RuleCode): number {
  return code in CONSENSUS_BAN_SCORE
    ? CONSENSUS_BAN_SCORE[code as ConsensusCode]
    : POLICY_BAN_SCORE[code as PolicyCode]
}

/** A block or transaction broke a rule; `code` says which, `banScore` what the sender earns. */
export class RuleError extends Error {
  override name = 'RuleError'
  readonly code: RuleCode
  readonly banScore: number
  constructor (code: RuleCode, message: string) {
    super(`${code}: ${message}`)
    this.code = code
    this.banScore = banScore(code)
  }
}
