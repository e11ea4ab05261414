// Finished downloads land where the Files view says, under their shared names and never over a file;
// the desktop's Open and Show in folder get that saved file. And a download from a provider capped at
// 0.5 MB/s shows a rate near the real one (it once read 2.1 MB/s) and an ETA only once it means something.
import { test, expect, type Page } from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { makeTempDir } from '../support/cleanup.ts'
import { watchConsole } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

const CAP = 500_000
let a: HeadlessPeer | undefined
let b: HeadlessPeer | undefined
let downloads: string

test.beforeAll(async () => {
  downloads = join(await makeTempDir('tidepool-e2e-downloads-'), 'Downloads')
  await mkdir(downloads)
  a = await startHeadlessPeer()
  b = await startHeadlessPeer({ extraArgs: ['--bootstrap', a.addrs[0]!, '--downloads-dir', downloads] })
})
test.afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]) })

async function api (peer: HeadlessPeer, path: string, init: { method?: string, json?: unknown, bytes?: Uint8Array } = {}): Promise<any> {
  const res = await fetch(`${peer.api}${path}`, {
    method: init.method ?? (init.json === undefined && init.bytes === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${peer.token}`, 'content-type': init.bytes === undefined ? 'application/json' : 'application/octet-stream' },
    body: init.bytes === undefined ? (init.json === undefined ? undefined : JSON.stringify(init.json)) : new Uint8Array(init.bytes)
  })
  expect(res.status, await res.clone().text()).toBe(200)
  return await res.json()
}

async function openFiles (page: Page, peer: HeadlessPeer): Promise<void> {
  await page.goto(peer.uiUrl)
  await page.getByTestId('nav-files').click()
  await expect(page.getByTestId('files-table')).toBeVisible()
}

test('a download is saved in the folder the Files view names, numbered beside a file of its name; Open and Show in folder get it', async ({ page }) => {
  const watch = watchConsole(page)
  // The desktop bridge as the preload gives it, recording what the page asks main for.
  await page.addInitScript(() => {
    const calls: string[][] = []
    ;(window as any).tidepoolDesktopCalls = calls
    ;(window as any).tidepoolDesktop = {
      pickFiles: async () => [],
      revealInFolder: async (path: string) => { calls.push(['reveal', path]) },
      openPath: async (path: string) => { calls.push(['open', path]) }
    }
  })
  await writeFile(join(downloads, 'hello.txt'), 'mine')
  await openFiles(page, b!)
  await expect(page.getByTestId('download-folder-current')).toHaveText(downloads)

  const bytes = new TextEncoder().encode('hello, saved under its own name')
  const cid = CID.createV1(raw.code, identity.digest(bytes)).toString()
  await page.getByTestId('paste-link').fill(`tidepool://${cid}?name=hello.txt`)
  await page.getByTestId('paste-link-submit').click()
  const row = page.getByTestId(`file-row-${cid}`)
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 10_000 })
  const saved = join(downloads, 'hello (1).txt')
  await expect(row.getByTestId('file-saved')).toContainText(saved)
  expect(new Uint8Array(await readFile(saved))).toEqual(bytes)
  expect(await readFile(join(downloads, 'hello.txt'), 'utf8')).toBe('mine')

  await row.getByTestId('file-open').click()
  await row.getByTestId('file-show').click()
  await expect.poll(async () => await page.evaluate(() => (window as any).tidepoolDesktopCalls)).toEqual([['open', saved], ['reveal', saved]])
  expect(watch.problems()).toEqual([])
})

test('the download folder is changed in the Files view; a folder that cannot be used is explained', async ({ page }) => {
  const watch = watchConsole(page)
  await openFiles(page, b!)
  await page.getByTestId('download-folder').fill(join(downloads, 'no-such-folder'))
  await page.getByTestId('download-folder-set').click()
  await expect(page.getByTestId('download-folder-error')).toContainText('existing folder you can write to')
  await expect(page.getByTestId('download-folder-current')).toHaveText(downloads)

  const other = join(downloads, 'elsewhere')
  await mkdir(other)
  await page.getByTestId('download-folder').fill(other)
  await page.getByTestId('download-folder-set').click()
  await expect(page.getByTestId('download-folder-current')).toHaveText(other)
  // The setting is the peer's: a fresh page reads it back, and the upload limit keeps it.
  await page.reload()
  await expect(page.getByTestId('download-folder-current')).toHaveText(other)
  await page.getByTestId('upload-limit').fill('2')
  await page.getByTestId('upload-limit-set').click()
  await expect(page.getByTestId('upload-limit-current')).toHaveText('2.00 MB/s')
  expect((await api(b!, '/api/files/settings')).downloadFolder).toBe(other)

  await page.getByTestId('download-folder-none').click()
  await expect(page.getByTestId('download-folder-current')).toContainText('they stay in Tidepool')
  await page.getByTestId('download-folder').fill(downloads)
  await page.getByTestId('download-folder-set').click()
  await expect(page.getByTestId('download-folder-current')).toHaveText(downloads)
  await api(b!, '/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: null, downloadFolder: downloads } })
  expect(watch.problems({ allowHttpErrors: true })).toEqual([])
})

/** `1.2 MB`, `524 KB`, `900 B` → bytes. */
function bytesOf (text: string): number {
  const [, value, unit] = /^([\d.]+) (B|KB|MB|GB)$/.exec(text.trim())!
  return Number(value) * { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[unit as 'B']
}

test('a download from a provider capped at 0.5 MB/s shows a rate near the real one, and an ETA only after the first seconds', async ({ page }) => {
  test.setTimeout(120_000)
  const size = 8_000_000
  await api(a!, '/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: CAP } })
  const added = await api(a!, '/api/files?name=capped.bin', { bytes: randomBytes(size) })
  await openFiles(page, b!)
  await page.getByTestId('paste-link').fill(added.link)
  await page.getByTestId('paste-link-submit').click()
  const row = page.getByTestId(`file-row-${added.cid}`)

  // What the row says, read every 250 ms: bytes done, the rate and whether an ETA shows.
  const seen: Array<{ at: number, done: number, rate: number | null, eta: boolean }> = []
  for (;;) {
    // State and text read at once: the progress line goes away when the row completes.
    const { state, text } = await row.evaluate(el => ({ state: el.getAttribute('data-state'), text: el.querySelector('[data-testid="file-progress"]')?.textContent ?? null }))
    if (state === 'complete') break
    expect(state).toBe('downloading')
    if (text != null) {
      // "2.1 MB of 8.0 MB · 26% · 524 KB/s · 12 s left"
      const parts = text.split(' · ')
      const rate = parts.find(p => p.endsWith('/s'))
      seen.push({ at: Date.now(), done: bytesOf(parts[0]!.split(' of ')[0]!), rate: rate === undefined ? null : bytesOf(rate.slice(0, -2)), eta: text.endsWith(' left') })
    }
    await page.waitForTimeout(250)
  }
  const finished = Date.now()
  const first = seen.find(s => s.done > 0)
  expect(first, 'progress showed bytes before the end').toBeDefined()
  // The real rate: the bytes after the first ones seen, over the time they took.
  const real = (size - first!.done) / ((finished - first!.at) / 1000)
  const rates = seen.filter(s => s.rate !== null).map(s => s.rate!)
  expect(rates.length).toBeGreaterThan(5)
  const report = `real ${Math.round(real)} B/s; seen ${JSON.stringify(seen)}`
  // The cap's token bucket lets a second's worth (and the chunk that overdraws it) out at once, and the
  // meter shows no rate over less than 2 s: at worst the cap plus that burst over 2 s — not the 4x of old.
  for (const rate of rates) expect(rate, report).toBeLessThanOrEqual(CAP + (CAP + 262_144) / 2)
  // Once the burst is 10 s behind, near the real rate; and so is the middle of what was shown.
  for (const s of seen.filter(s => s.rate !== null && s.at - first!.at > 10_000)) {
    expect(s.rate!, report).toBeGreaterThan(real * 0.7)
    expect(s.rate!, report).toBeLessThan(real * 1.3)
  }
  const median = [...rates].sort((x, y) => x - y)[Math.floor(rates.length / 2)]!
  expect(median, report).toBeGreaterThan(real * 0.6)
  expect(median, report).toBeLessThan(real * 1.5)
  // No ETA in the first seconds of bytes.
  expect(seen.filter(s => s.eta && s.at - first!.at < 3_000)).toEqual([])
  await api(a!, '/api/files/settings', { method: 'PUT', json: { maxUploadBytesPerSecond: null } })
})
