// Accept-stamps, replica ids and the log order (pure).
//
// A write is stamped <accept-stamp, replica>; the log orders committed writes by CSN first, then the
// tentative ones by stamp with the replica id breaking ties. A replica id is `<Tz,X>`: X is the replica
// that created it and Tz X's logical clock at that moment; the calendar's first replica is ROOT_REPLICA.

export type ReplicaId = string

export const ROOT_REPLICA: ReplicaId = 'R'

export interface Stamp { stamp: number, replica: ReplicaId }

export function compareStamps (a: Stamp, b: Stamp): number {
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? -1 : 1
  return a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0
}

export function writeId (w: Stamp): string {
  return `${w.stamp}@${w.replica}`
}

export function childReplicaId (tz: number, creator: ReplicaId): ReplicaId {
  return `<${tz},${creator}>`
}

/** `<Tz,X>` → {tz, creator}; null for the root or anything that is not a replica id. */
export function parseReplicaId (id: ReplicaId): { tz: number, creator: ReplicaId } | null {
  const match = /^<(\d+),(.+)>$/.exec(id)
  if (match == null) return null
  return { tz: Number(match[1]), creator: match[2] as string }
}

export function isReplicaId (id: string): boolean {
  if (id === ROOT_REPLICA) return true
  const parsed = parseReplicaId(id)
  return parsed != null && Number.isSafeInteger(parsed.tz) && isReplicaId(parsed.creator)
}

/** The Lamport clock: a new stamp is max(Tmax + 1, wall clock), so it follows everything seen. */
export function nextStamp (tmax: number, wallClockMs: number): number {
  return Math.max(tmax + 1, Math.floor(wallClockMs))
}
