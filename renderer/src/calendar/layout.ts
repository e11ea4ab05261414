// Where overlapping events go in a day column: side by side, each in the first free column of the
// group it overlaps with, the group sharing the width. Pure.
export interface Placed<T> { item: T, column: number, columns: number }

export function sideBySide<T> (items: readonly T[], start: (t: T) => number, end: (t: T) => number): Array<Placed<T>> {
  const sorted = [...items].sort((a, b) => start(a) - start(b) || end(b) - end(a))
  const out: Array<Placed<T>> = []
  let group: Array<Placed<T>> = []
  let columnEnds: number[] = []
  let groupEnd = -Infinity
  const closeGroup = (): void => {
    for (const placed of group) placed.columns = columnEnds.length
    group = []
    columnEnds = []
    groupEnd = -Infinity
  }
  for (const item of sorted) {
    const s = start(item)
    const e = Math.max(end(item), s + 1)
    if (s >= groupEnd) closeGroup()
    let column = columnEnds.findIndex(free => free <= s)
    if (column < 0) { column = columnEnds.length; columnEnds.push(e) } else columnEnds[column] = e
    const placed = { item, column, columns: 1 }
    group.push(placed)
    out.push(placed)
    groupEnd = Math.max(groupEnd, e)
  }
  closeGroup()
  return out
}
