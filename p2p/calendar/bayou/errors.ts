// Why the Bayou core refused something. A refused write or batch changes nothing.
import { CodedError } from '../../coded-error.ts'
export type BayouErrorCode =
  | 'bad-signature'      // a run's (or a version-2 write's) signature does not verify with the author's key
  | 'broken-chain'       // a write or notice that does not follow the last one held: forged link, gap, runs reordered
  | 'unknown-replica'    // a write from a replica no join write created (or bound to another key)
  | 'retired-replica'    // a write after its replica's retirement
  | 'wrong-calendar'     // a write or notice for another calendar
  | 'bad-commit'         // a commit notice out of CSN order, for an unknown write, or not by the primary
  | 'bad-snapshot'       // a stable database that does not fit this replica
  | 'out-of-order'       // a batch breaking the prefix property
  | 'not-member'         // this replica has retired or was never created
  | 'invalid-op'         // an operation outside the fixed set, or one this replica may not issue

export class BayouError extends CodedError<BayouErrorCode> {
  override name = 'BayouError'
}
