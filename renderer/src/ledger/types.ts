// The ledger routes' answers (docs/API.md, "Ledger"): the core's own contract.
export type { BlockDetail, BlockSummary, ChainView, MempoolView, MiningState, Payment, RaceResult, TxidResult, WalletView } from '../../../p2p/ledger/api.ts'
