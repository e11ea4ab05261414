// The same dial check inside the Electron shell, which loads the UI from the core's local API.
// The `electron` package is an optional dependency: without its binary this test is reported as
// skipped, never as passed.
import { test, expect, _electron as electron, type ElectronApplication } from '@playwright/test'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { E2E_NETWORK, REPO_ROOT, startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { dialThroughForm, watchConsole } from './ui-checks.ts'
import { findElectronBinary } from '../../p2p/desktop.ts'

test('the Electron window dials a headless peer and shows its latency', async () => {
  const binary = findElectronBinary()
  if (!('path' in binary)) {
    console.log(`skipped: no Electron binary (${binary.reason})`)
    test.skip(true, 'skipped: no Electron binary')
    return
  }
  const shell = join(REPO_ROOT, 'dist', 'main', 'main.js')
  expect(existsSync(shell), `${shell} must be built before the Electron e2e test`).toBe(true)

  let b: HeadlessPeer | undefined
  let app: ElectronApplication | undefined
  const dataDir = await mkdtemp(join(tmpdir(), 'tidepool-e2e-electron-'))
  try {
    b = await startHeadlessPeer()
    // The same flags `tidepool` passes to the shell: an isolated identity on the test network.
    app = await electron.launch({
      executablePath: binary.path,
      cwd: REPO_ROOT,
      args: [shell, '--network', E2E_NETWORK, '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', dataDir],
      timeout: 30_000
    })
    const window = await app.firstWindow()
    const watch = watchConsole(window)
    await window.getByTestId('nav-peers').click({ timeout: 30_000 })
    await expect(window.getByTestId('self-peer-id')).toHaveText(/\S+/, { timeout: 30_000 })
    await dialThroughForm(window, b.addrs[0]!, b.peerId)
    expect(watch.problems(), 'console errors in the Electron window').toEqual([])
  } finally {
    await app?.close()
    await b?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
})
