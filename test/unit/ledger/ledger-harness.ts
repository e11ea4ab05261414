// A ledger (chain + mempool + wallet) on a real LevelDB in a temp dir, and a way to mine its next block.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { openLedger, type Ledger } from '../../../p2p/ledger/ledger.ts'
import { chainParams, type ChainParams } from '../../../p2p/ledger/rules/params.ts'
import { blockTemplate } from '../../../p2p/ledger/miner/template.ts'
import type { Block } from '../../../p2p/ledger/rules/codec.ts'
import { solve } from './block-builder.ts'

export interface OpenLedger extends Ledger {
  dir: string
  close: () => Promise<void>
}

let extraCounter = 0

export async function openTestLedger (params: ChainParams = chainParams('test'), dir?: string): Promise<OpenLedger> {
  const path = dir ?? await mkdtemp(join(tmpdir(), 'ledger-'))
  const db = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
  await db.open()
  const ledger = await openLedger(db.sublevel<string, Uint8Array>('ledger', { valueEncoding: 'view' }), path, params, () => params.genesisTime + 1_000_000)
  return { ...ledger, dir: path, close: async () => { await db.close() } }
}

export async function removeLedger (ledger: OpenLedger): Promise<void> {
  await ledger.close()
  await rm(ledger.dir, { recursive: true, force: true })
}

/** Builds the next block from the tip and the mempool, as the miner does, paying `payTo`; submits it to `into` (default: the same ledger). */
export async function mineNext (ledger: Ledger, payTo: string, into: Ledger = ledger): Promise<Block> {
  const { parent, bits, minTime } = ledger.chain.nextBlockTemplate()
  const block = solve(blockTemplate({ parent, bits, minTime, waiting: ledger.mempool.entries(), payTo, now: parent.time + 1, extra: Uint8Array.of(extraCounter++ & 0xff, extraCounter >> 8) }, ledger.chain.params), ledger.chain.params)
  await into.chain.submit(block)
  return block
}

export async function mineMany (ledger: Ledger, count: number, payTo: string): Promise<Block[]> {
  const blocks: Block[] = []
  for (let i = 0; i < count; i++) blocks.push(await mineNext(ledger, payTo))
  return blocks
}
