// Two real headless peers on 127.0.0.1: a file added through A's UI (picker, then drag and drop) is
// downloaded through B's UI from its share link; B's bytes are A's. B pauses and resumes a download.
import { test, expect, type Page } from '@playwright/test'
import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

let a: HeadlessPeer | undefined
let b: HeadlessPeer | undefined

test.beforeAll(async () => {
  a = await startHeadlessPeer()
  b = await startHeadlessPeer({ extraArgs: ['--bootstrap', a.addrs[0]!] })
})
test.afterAll(async () => { await Promise.all([a?.stop(), b?.stop()]) })

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

async function openFiles (page: Page, peer: HeadlessPeer): Promise<void> {
  await page.goto(peer.uiUrl)
  await page.getByTestId('nav-files').click()
  await expect(page.getByTestId('files-table')).toBeVisible()
}

async function downloadOnB (page: Page, link: string, cid: string): Promise<Uint8Array> {
  await page.getByTestId('paste-link').fill(link)
  await page.getByTestId('paste-link-submit').click()
  await expect(page.getByTestId(`file-row-${cid}`)).toHaveAttribute('data-state', 'complete', { timeout: 40_000 })
  const res = await fetch(`${b!.api}/api/files/${cid}/content`, { headers: { authorization: `Bearer ${b!.token}` } })
  expect(res.status).toBe(200)
  return new Uint8Array(await res.arrayBuffer())
}

test('a file picked on A is downloaded on B from its share link, byte for byte', async ({ browser }) => {
  const bytes = randomBytes(1_500_000)
  const pageA = await browser.newPage()
  const watch = watchConsole(pageA)
  await openFiles(pageA, a!)
  await pageA.getByTestId('files-input').setInputFiles({ name: 'picked.bin', mimeType: 'application/octet-stream', buffer: bytes })
  const link = (await pageA.getByTestId('share-link').textContent())!
  expect(link).toMatch(/^tidepool:\/\/baf[a-z0-9]+\?name=picked\.bin&size=1500000$/)
  await expect(pageA.getByTestId('share-qr')).toBeVisible()
  const cid = /^tidepool:\/\/([a-z0-9]+)/.exec(link)![1]!
  await expect(pageA.getByTestId(`file-row-${cid}`)).toHaveAttribute('data-state', 'sharing')

  const pageB = await browser.newPage()
  await openFiles(pageB, b!)
  expect(sha(await downloadOnB(pageB, link, cid))).toBe(sha(bytes))
  await expect(pageB.getByTestId(`file-row-${cid}`)).toContainText('picked.bin')
  expect(watch.problems()).toEqual([])
})

test('a file dropped on A\'s drop zone is shared too', async ({ browser }) => {
  const bytes = randomBytes(300_000)
  const pageA = await browser.newPage()
  await openFiles(pageA, a!)
  const transfer = await pageA.evaluateHandle((data: number[]) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(data)], 'dropped.bin', { type: 'application/octet-stream' }))
    return dt
  }, [...bytes])
  await pageA.getByTestId('files-drop-zone').dispatchEvent('drop', { dataTransfer: transfer })
  await expect(pageA.getByTestId('share-link')).toContainText('name=dropped.bin')
  const link = (await pageA.getByTestId('share-link').textContent())!
  const cid = /^tidepool:\/\/([a-z0-9]+)/.exec(link)![1]!
  const pageB = await browser.newPage()
  await openFiles(pageB, b!)
  expect(sha(await downloadOnB(pageB, link, cid))).toBe(sha(bytes))
})

test('a download on B is paused and resumed from its row; Save gives the finished file under its own name', async ({ browser }) => {
  const bytes = randomBytes(24 * 262_144)
  const added = await fetch(`${a!.api}/api/files?name=paced.bin`, {
    method: 'POST', headers: { authorization: `Bearer ${a!.token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes)
  }).then(async res => await res.json() as { cid: string, link: string })
  // A capped rate keeps the download going long enough to pause it, even on a busy machine (about 16 s).
  const started = await fetch(`${b!.api}/api/files/download`, {
    method: 'POST', headers: { authorization: `Bearer ${b!.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ link: added.link, maxBytesPerSecond: 384 * 1024 })
  })
  expect(started.status).toBe(200)
  const page = await browser.newPage()
  const watch = watchConsole(page)
  await openFiles(page, b!)
  const row = page.getByTestId(`file-row-${added.cid}`)
  await row.getByTestId('file-pause').click()
  await expect(row).toHaveAttribute('data-state', 'paused')
  await row.getByTestId('file-resume').click()
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 40_000 })
  // Save hands the bytes to the browser's download under the file's own name.
  const saving = page.waitForEvent('download')
  await row.getByTestId('file-save').click()
  const saved = await saving
  expect(saved.suggestedFilename()).toBe('paced.bin')
  expect(sha(await readFile(await saved.path()))).toBe(sha(bytes))
  // The internal path stays under Details.
  await expect(row.getByTestId('file-path')).toHaveText(new RegExp(`/files/content/${added.cid}$`))
  expect(watch.problems()).toEqual([])
})

test('an upload limit set in A\'s Files view is kept by the peer and cleared again', async ({ browser }) => {
  const page = await browser.newPage()
  const settings = async (): Promise<unknown> => await (await fetch(`${a!.api}/api/files/settings`, { headers: { authorization: `Bearer ${a!.token}` } })).json()
  await openFiles(page, a!)
  await expect(page.getByTestId('upload-limit-current')).toHaveText('none')
  await page.getByTestId('upload-limit').fill('0.01')
  await page.getByTestId('upload-limit-set').click()
  await expect(page.getByTestId('upload-limit-error')).toContainText('at least')
  await page.getByTestId('upload-limit').fill('2')
  await page.getByTestId('upload-limit-set').click()
  await expect(page.getByTestId('upload-limit-current')).toHaveText('2.00 MB/s')
  expect(await settings()).toEqual({ maxUploadBytesPerSecond: 2_000_000, downloadFolder: null })
  await page.reload()
  await page.getByTestId('nav-files').click()
  await expect(page.getByTestId('upload-limit-current')).toHaveText('2.00 MB/s')
  await page.getByTestId('upload-limit-clear').click()
  await expect(page.getByTestId('upload-limit-current')).toHaveText('none')
  expect(await settings()).toEqual({ maxUploadBytesPerSecond: null, downloadFolder: null })
})

test('#view=files opens the Files view: at load beside the token, and later on the same page, as the desktop app does', async ({ browser }) => {
  const page = await browser.newPage()
  const watch = watchConsole(page)
  await page.goto(`${b!.uiUrl}&view=files`)
  await expect(page.getByTestId('files-table')).toBeVisible()
  await expect(page.getByTestId('nav-files')).toHaveAttribute('aria-current', 'page')
  expect(new URL(page.url()).hash, 'token and view are scrubbed from the address bar').toBe('')

  // After a share link was opened, main loads the same URL again: a same-document navigation.
  await page.getByTestId('nav-peers').click()
  await expect(page.getByTestId('files-table')).toBeHidden()
  await page.evaluate(() => { (window as unknown as { marker: number }).marker = 1 })
  await page.goto(`${b!.uiUrl}&view=files`)
  await expect(page.getByTestId('files-table')).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 'the page was not reloaded').toBe(1)
  await expect.poll(() => new URL(page.url()).hash).toBe('')

  // The view alone works too; a view that is not a section changes nothing and is scrubbed.
  await page.getByTestId('nav-peers').click()
  await page.evaluate(() => { location.hash = 'view=nowhere' })
  await expect.poll(() => new URL(page.url()).hash).toBe('')
  await expect(page.getByTestId('nav-peers')).toHaveAttribute('aria-current', 'page')
  await page.evaluate(() => { location.hash = 'view=files' })
  await expect(page.getByTestId('files-table')).toBeVisible()
  await expect.poll(() => new URL(page.url()).hash).toBe('')
  expect(watch.problems()).toEqual([])
})
