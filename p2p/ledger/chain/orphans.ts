// Blocks whose parent we don't have yet, held in memory (capped, oldest evicted) until it arrives.
import type { Block } from '../rules/codec.ts'

export const MAX_ORPHANS = 200

export class OrphanPool {
  private readonly byHash = new Map<string, Block>()
  private readonly max: number

  constructor (max = MAX_ORPHANS) {
    this.max = max
  }

  get size (): number {
    return this.byHash.size
  }

  add (hash: string, block: Block): void {
    if (this.byHash.has(hash)) return
    if (this.byHash.size >= this.max) this.byHash.delete(this.byHash.keys().next().value!)
    this.byHash.set(hash, block)
  }

  /** Removes and returns the orphans waiting for `parent`. */
  takeChildren (parent: string): Array<[string, Block]> {
    const children = [...this.byHash].filter(([, block]) => block.header.prevHash === parent)
    for (const [hash] of children) this.byHash.delete(hash)
    return children
  }

  /** The oldest ancestor we hold of an orphan: its parent is the block to ask for. */
  rootOf (block: Block): Block {
    let root = block
    for (let parent = this.byHash.get(root.header.prevHash); parent !== undefined; parent = this.byHash.get(root.header.prevHash)) root = parent
    return root
  }
}
