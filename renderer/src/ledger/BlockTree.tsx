// The chain as a picture: a column per height, the main chain along the top, side branches (forks)
// below it; the tip is marked; clicking a block shows its details.
import { useEffect, useRef } from 'react'
import { layoutTree } from './tree-layout.ts'
import type { BlockSummary } from './types.ts'

const COLUMN = 56
const LANE = 44
const SIZE = 30
/** Heights shown: enough to see recent forks without shrinking the blocks. */
const SHOWN_HEIGHTS = 20

export function BlockTree ({ blocks, tip, selected, onSelect }: { blocks: BlockSummary[], tip: string, selected: string | null, onSelect: (hash: string) => void }) {
  const newest = blocks.reduce((max, b) => Math.max(max, b.height), 0)
  const tree = layoutTree(blocks.filter(b => b.height > newest - SHOWN_HEIGHTS))
  const width = tree.columns * COLUMN + 20
  const height = tree.lanes * LANE + 20
  const at = (column: number, lane: number) => ({ x: 10 + column * COLUMN, y: 10 + lane * LANE })
  // Keep the newest blocks in sight as the chain grows.
  const scroller = useRef<HTMLDivElement>(null)
  useEffect(() => { scroller.current?.scrollTo({ left: scroller.current.scrollWidth }) }, [tip])
  return (
    <div className="block-tree" data-testid="block-tree" ref={scroller}>
      <svg width={width} height={height} role="group" aria-label={`Block tree: ${tree.blocks.length} blocks, ${tree.lanes - 1} side branches`}>
        {tree.links.map(({ from, to }) => {
          const a = at(from.column, from.lane)
          const b = at(to.column, to.lane)
          return <path key={`${from.hash}-${to.hash}`} className="tree-link" d={`M${a.x + SIZE} ${a.y + SIZE / 2} C${b.x - 8} ${a.y + SIZE / 2} ${a.x + SIZE + 8} ${b.y + SIZE / 2} ${b.x} ${b.y + SIZE / 2}`} />
        })}
        {tree.blocks.map(block => {
          const { x, y } = at(block.column, block.lane)
          const classes = ['tree-block', block.onMainChain ? 'main' : 'side', block.status === 'invalid' ? 'invalid' : '', block.hash === tip ? 'tip' : '', block.hash === selected ? 'selected' : ''].join(' ')
          return (
            <g key={block.hash} className={classes} transform={`translate(${x} ${y})`} onClick={() => { onSelect(block.hash) }}
              data-testid="tree-block" data-height={block.height} data-main={block.onMainChain}
              role="button" tabIndex={0} aria-label={`Block ${block.height} ${block.hash.slice(0, 12)}${block.onMainChain ? '' : ', side branch'}`}
              onKeyDown={e => { if (e.key === 'Enter' || e.key === ' ') onSelect(block.hash) }}>
              <rect width={SIZE} height={SIZE} rx={4} />
              <text x={SIZE / 2} y={SIZE / 2 + 4} textAnchor="middle">{block.height}</text>
            </g>
          )
        })}
      </svg>
    </div>
  )
}
