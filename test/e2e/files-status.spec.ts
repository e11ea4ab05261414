// Downloads that say the truth: one nobody provides fails after the set time with Retry; one whose bytes
// are in its content id completes at once and saves; a mistyped link is explained in plain words.
import { test, expect } from '@playwright/test'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { startHeadlessPeer, type HeadlessPeer } from './headless-peer.ts'
import { watchConsole } from './ui-checks.ts'

test.describe.configure({ mode: 'serial' })

const GIVE_UP_SECONDS = 2
let peer: HeadlessPeer | undefined

test.beforeAll(async () => {
  peer = await startHeadlessPeer()
  const res = await fetch(`${peer.api}/api/files/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${peer.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ maxUploadBytesPerSecond: null, noProviderTimeoutSeconds: GIVE_UP_SECONDS })
  })
  expect(res.status).toBe(200)
})
test.afterAll(async () => { await peer?.stop() })

test('a file nobody provides fails with "no provider found" and can be retried', async ({ page }) => {
  const cid = CID.createV1(raw.code, await sha256.digest(randomBytes(64))).toString()
  await page.goto(peer!.uiUrl)
  await page.getByTestId('nav-files').click()
  await page.getByTestId('paste-link').fill(`tidepool://${cid}?name=nowhere.bin`)
  await page.getByTestId('paste-link-submit').click()
  const row = page.getByTestId(`file-row-${cid}`)
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: GIVE_UP_SECONDS * 1000 + 8_000 })
  await expect(row).toContainText('no provider found')
  await row.getByTestId('file-resume').click()
  await expect(row).toHaveAttribute('data-state', 'downloading')
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: GIVE_UP_SECONDS * 1000 + 8_000 })
})

test('a file whose bytes are in its content id completes at once and saves', async ({ page }) => {
  const watch = watchConsole(page)
  const bytes = new TextEncoder().encode('hello from inside the CID')
  const cid = CID.createV1(raw.code, identity.digest(bytes)).toString()
  await page.goto(peer!.uiUrl)
  await page.getByTestId('nav-files').click()
  for (const [link, id] of [['bafkqaaa', 'bafkqaaa'], [`tidepool://${cid}?name=hello.txt`, cid]] as const) {
    await page.getByTestId('paste-link').fill(link)
    await page.getByTestId('paste-link-submit').click()
    await expect(page.getByTestId(`file-row-${id}`)).toHaveAttribute('data-state', 'complete', { timeout: 3_000 })
  }
  const saving = page.waitForEvent('download')
  await page.getByTestId(`file-row-${cid}`).getByTestId('file-save').click()
  const saved = await saving
  expect(saved.suggestedFilename()).toBe('hello.txt')
  expect(new Uint8Array(await readFile(await saved.path()))).toEqual(bytes)
  expect(watch.problems()).toEqual([])
})

test('a mistyped link is explained in plain words, the API\'s text under Details', async ({ page }) => {
  await page.goto(peer!.uiUrl)
  await page.getByTestId('nav-files').click()
  await page.getByTestId('paste-link').fill('tidepool://not-a-content-id')
  await page.getByTestId('paste-link-submit').click()
  const error = page.getByTestId('paste-link-error')
  await expect(error).toContainText('not a valid file link')
  await expect(error.locator('details')).not.toHaveAttribute('open')
})

test('a link opened from outside says what it would download and waits for a yes', async ({ page }) => {
  const bytes = new TextEncoder().encode('asked first')
  const cid = CID.createV1(raw.code, identity.digest(bytes)).toString()
  const link = `tidepool://${cid}?name=asked.txt&size=${bytes.length}`
  const listed = async (): Promise<boolean> => {
    const res = await fetch(`${peer!.api}/api/files`, { headers: { authorization: `Bearer ${peer!.token}` } })
    return (await res.json() as Array<{ cid: string }>).some(f => f.cid === cid)
  }
  // As the desktop app shows it: the Files view, with the link in the fragment.
  await page.goto(`${peer!.uiUrl}&view=files&link=${encodeURIComponent(link)}`)
  const confirm = page.getByTestId('confirm-link')
  await expect(confirm).toBeVisible()
  await expect(page.getByTestId('confirm-link-name')).toHaveText('asked.txt')
  await expect(page.getByTestId('confirm-link-size')).toHaveText('11 B')
  await expect(page.getByTestId('confirm-link-from')).not.toContainText('looking for peers', { timeout: 20_000 })
  expect(new URL(page.url()).hash, 'the link is scrubbed from the address bar').toBe('')
  expect(await listed(), 'nothing downloads before the yes').toBe(false)

  await page.getByTestId('confirm-link-no').click()
  await expect(confirm).toHaveCount(0)
  expect(await listed()).toBe(false)

  await page.goto(`${peer!.uiUrl}&view=files&link=${encodeURIComponent(link)}`)
  await page.getByTestId('confirm-link-yes').click()
  await expect(confirm).toHaveCount(0)
  await expect(page.getByTestId(`file-row-${cid}`)).toHaveAttribute('data-state', 'complete')
})
