// Random choices of the simulated networks (the generator itself is p2p/seeded-random.ts).
/** A fraction of items chosen at random (Fisher-Yates on a copy). */
export function pickFraction<T> (items: readonly T[], fraction: number, random: () => number): T[] {
  const copy = [...items]
  const count = Math.round(copy.length * fraction)
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (copy.length - i))
    const tmp = copy[i] as T
    copy[i] = copy[j] as T
    copy[j] = tmp
  }
  return copy.slice(0, count)
}
