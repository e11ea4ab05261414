// Version vectors: for each replica, the highest accept-stamp seen from it (the F vector). The prefix
// property makes that one number mean "and everything before it from that replica".
//
// A retired replica is dropped from the vector. A missing entry is told apart from "never heard of" by
// the replica's id <Tz,X>: if the vector covers X's clock up to Tz, the holder saw Z's creation and,
// since Z is gone from the vector, its retirement too; otherwise it has not yet heard of Z.
import { ROOT_REPLICA, parseReplicaId, type ReplicaId } from './order.ts'

export type VersionVector = Record<ReplicaId, number>

/** How far the holder of `vv` has seen `replica`'s writes: Infinity when it saw it retire, 0 if unknown. */
export function coverage (vv: VersionVector, replica: ReplicaId): number {
  const entry = vv[replica]
  if (entry !== undefined) return entry
  if (replica === ROOT_REPLICA) return Infinity // everyone starts from the root's genesis write
  const parsed = parseReplicaId(replica)
  if (parsed == null) return 0
  return coverage(vv, parsed.creator) >= parsed.tz ? Infinity : 0
}

export function covers (vv: VersionVector, w: { stamp: number, replica: ReplicaId }): boolean {
  return w.stamp <= coverage(vv, w.replica)
}
