// Pure: where a 160-bit id (40 hex digits) sits on the drawn ring. 0 is at the top, ids grow clockwise.

/** The id's place on the ring as a fraction of a turn, from its first 48 bits (plenty for pixels). */
export function ringFraction (idHex: string): number {
  const head = Number.parseInt(idHex.slice(0, 12).padEnd(12, '0'), 16)
  return Number.isFinite(head) ? head / 2 ** 48 : 0
}

export interface Point { x: number, y: number }

export function pointOnRing (idHex: string, center: number, radius: number): Point {
  const angle = ringFraction(idHex) * 2 * Math.PI - Math.PI / 2
  return { x: center + radius * Math.cos(angle), y: center + radius * Math.sin(angle) }
}

/** A curved chord between two ring points, bowing towards the centre so hops stay readable. */
export function chordPath (from: Point, to: Point, center: number): string {
  const control = { x: (from.x + to.x) / 2 * 0.6 + center * 0.4, y: (from.y + to.y) / 2 * 0.6 + center * 0.4 }
  return `M ${from.x.toFixed(1)} ${from.y.toFixed(1)} Q ${control.x.toFixed(1)} ${control.y.toFixed(1)} ${to.x.toFixed(1)} ${to.y.toFixed(1)}`
}
