// The e2e view of a real `tidepool --headless` peer: the shared process helper, with the ready line spread.
import { startPeerProcess, ROOT, type ExitInfo } from '../support/peer-process.ts'
import type { ReadyLine } from '../../p2p/api/contract.ts'

export const REPO_ROOT = ROOT
export const E2E_NETWORK = 'test-e2e'

export interface HeadlessPeer extends ReadyLine {
  token: string
  dataDir: string
  uiUrl: string
  stderr: () => string
  stop: () => Promise<ExitInfo>
}

export async function startHeadlessPeer (opts: { network?: string, dataDir?: string, extraArgs?: string[] } = {}): Promise<HeadlessPeer> {
  const peer = await startPeerProcess({ network: opts.network ?? E2E_NETWORK, dataDir: opts.dataDir, args: opts.extraArgs })
  return { ...peer.ready, token: peer.token, dataDir: peer.dataDir, uiUrl: peer.uiUrl, stderr: peer.stderr, stop: peer.stop }
}
