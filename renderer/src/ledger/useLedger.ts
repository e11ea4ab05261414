// The ledger as the view shows it: chain, wallet, mempool and miner, refetched when the event stream
// says the tip or the mempool moved; the miner's hash rate sampled every 2 s while it runs, and 0 after
// it stops.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { errorText, type ApiClient } from '../api/client.ts'
import type { EventStream } from '../api/events.ts'
import { ledgerApi, type LedgerApi } from '../api/ledger.ts'
import type { ChainView, MempoolView, MiningState, WalletView } from './types.ts'

export const RATE_SAMPLE_MS = 2000
export const RATE_SAMPLES = 60

export interface LedgerState {
  api: LedgerApi
  chain: ChainView | null
  wallet: WalletView | null
  mempool: MempoolView | null
  mining: MiningState | null
  /** Hash rates sampled every RATE_SAMPLE_MS since mining first started (0 while stopped), oldest first. */
  rates: number[]
  error: string | null
  refresh: () => void
  setMining: (mining: MiningState) => void
}

export function useLedger (client: ApiClient, stream: EventStream): LedgerState {
  const api = useMemo(() => ledgerApi(client), [client])
  const [chain, setChain] = useState<ChainView | null>(null)
  const [wallet, setWallet] = useState<WalletView | null>(null)
  const [mempool, setMempool] = useState<MempoolView | null>(null)
  const [mining, setMining] = useState<MiningState | null>(null)
  const [rates, setRates] = useState<number[]>([])
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(() => {
    Promise.all([api.chain(), api.wallet(), api.mempool(), api.mining()]).then(([c, w, m, mi]) => {
      setChain(c); setWallet(w); setMempool(m); setMining(mi); setError(null)
    }, err => { setError(errorText(err)) })
  }, [api])

  useEffect(() => {
    refresh()
    return stream.subscribe(event => { if (event.type === 'ledger:tip' || event.type === 'ledger:mempool') refresh() })
  }, [refresh, stream])

  const enabled = mining?.enabled === true
  useEffect(() => {
    const timer = setInterval(() => {
      // Stopped: no miner, no hashes. The chart goes on to "now" at 0 rather than ending on the last rate
      // (the core keeps its last measurement after a stop); nothing is asked of the core for that.
      if (!enabled) { setRates(r => r.length === 0 ? r : [...r, 0].slice(-RATE_SAMPLES)); return }
      api.mining().then(m => {
        setMining(m)
        setRates(r => [...r, m.enabled ? m.hashesPerSecond : 0].slice(-RATE_SAMPLES))
      }, err => { setError(errorText(err)) })
    }, RATE_SAMPLE_MS)
    return () => { clearInterval(timer) }
  }, [api, enabled])

  return { api, chain, wallet, mempool, mining, rates, error, refresh, setMining }
}
