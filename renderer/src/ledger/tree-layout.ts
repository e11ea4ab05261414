// Where each block sits in the picture of the chain: a column per height, lane 0 for the main chain,
// and one lane per side branch, which keeps its lane while it grows.
import type { BlockSummary } from './types.ts'

export interface PlacedBlock extends BlockSummary {
  column: number
  lane: number
}

export interface TreeLayout {
  blocks: PlacedBlock[]
  /** Parent → child links between blocks that are both shown. */
  links: Array<{ from: PlacedBlock, to: PlacedBlock }>
  lanes: number
  columns: number
}

export function layoutTree (blocks: BlockSummary[]): TreeLayout {
  const sorted = [...blocks].sort((a, b) => a.height - b.height)
  const minHeight = sorted[0]?.height ?? 0
  const placed = new Map<string, PlacedBlock>()
  const laneTaken = new Set<string>()
  let lanes = 1
  for (const block of sorted) {
    const parent = placed.get(block.parent)
    let lane = 0
    if (!block.onMainChain) {
      // Continue the parent's side lane if no sibling took it yet; otherwise open a new lane.
      if (parent !== undefined && parent.lane > 0 && !laneTaken.has(parent.hash)) lane = parent.lane
      else lane = lanes++
    }
    if (parent !== undefined && lane === parent.lane) laneTaken.add(parent.hash)
    placed.set(block.hash, { ...block, column: block.height - minHeight, lane })
  }
  const list = [...placed.values()]
  const links = list.flatMap(to => { const from = placed.get(to.parent); return from === undefined ? [] : [{ from, to }] })
  return { blocks: list, links, lanes, columns: list.reduce((max, b) => Math.max(max, b.column + 1), 0) }
}
