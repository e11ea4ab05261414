// main/open-links.ts: share links taken from command-line arguments, the inbox that holds them until
// the core is up, and the download request against a real HTTP server on 127.0.0.1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { formatLink } from '../../p2p/files/link.ts'
import { LinkInbox, MAX_LINK_LENGTH, linksInArgv, openableLink } from '../../main/open-links.ts'

async function cidOf (text: string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(text)))
}

const KEY = 'A'.repeat(43)

function collect (): { lines: string[], log: (line: string) => void } {
  const lines: string[] = []
  return { lines, log: line => { lines.push(line) } }
}

// ---- links in argv ---------------------------------------------------------------------------------

test('linksInArgv: the share links among arguments, wherever Chromium puts them', async () => {
  const a = formatLink({ cid: await cidOf('a'), name: 'a b.txt', size: 12 })
  const b = formatLink({ cid: await cidOf('b'), key: KEY })
  const { lines, log } = collect()
  const argv = ['/opt/Tidepool/tidepool', '--no-sandbox', a, '--allow-file-access-from-files', '--', b, '/home/me/file.txt', 'https://example.org/', '']
  assert.deepEqual(linksInArgv(argv, log), [a, b])
  assert.deepEqual(lines, [], 'arguments that are not links are not reported')
})

test('linksInArgv: the scheme is case-insensitive and comes out lowercase; surrounding spaces go', async () => {
  const cid = (await cidOf('c')).toString()
  const { log } = collect()
  assert.deepEqual(linksInArgv([`TidePool://${cid}?name=x`, `  tidepool://${cid}/  `], log), [`tidepool://${cid}?name=x`, `tidepool://${cid}/`])
})

test('linksInArgv: invalid and oversized links are dropped and reported, without their key', async () => {
  const cid = (await cidOf('d')).toString()
  const good = `tidepool://${cid}`
  const oversized = `tidepool://${cid}?name=${'x'.repeat(MAX_LINK_LENGTH)}`
  const { lines, log } = collect()
  const argv = [
    'tidepool://not-a-cid',
    `tidepool://${cid}?size=-1`,
    `tidepool://${cid}#key=secret-but-short`,
    oversized,
    'tidepool://',
    good
  ]
  assert.deepEqual(linksInArgv(argv, log), [good])
  assert.equal(lines.length, 5)
  assert.match(lines[3]!, new RegExp(`${oversized.length} characters`))
  assert.ok(lines.every(l => !l.includes('secret-but-short')), 'a key is never logged')
  // A link of exactly the limit is still taken.
  const atLimit = `${good}?name=${'y'.repeat(MAX_LINK_LENGTH - good.length - 6)}`
  assert.equal(atLimit.length, MAX_LINK_LENGTH)
  assert.equal(openableLink(atLimit, log), atLimit)
})

test('openableLink: a bare content id is not a link from outside (only the scheme is handled)', async () => {
  const { lines, log } = collect()
  assert.equal(openableLink((await cidOf('e')).toString(), log), null)
  assert.equal(openableLink('tidepool:missing-slashes', log), null)
  assert.deepEqual(lines, [])
})

// ---- the inbox --------------------------------------------------------------------------------------

/** An `open` that records calls and settles each one when the test says so. */
function controllableOpen (): {
  open: (link: string) => Promise<void>
  calls: string[]
  settle: (index: number, error?: Error) => void
} {
  const calls: string[] = []
  const settlers: Array<(error?: Error) => void> = []
  return {
    calls,
    open: async (link) => {
      calls.push(link)
      await new Promise<void>((resolve, reject) => {
        settlers.push(error => { if (error === undefined) resolve(); else reject(error) })
      })
    },
    settle: (index, error) => { settlers[index]!(error) }
  }
}

async function until (what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setImmediate(resolve))
  }
}

test('LinkInbox: links that arrive before the core is ready are opened once it is, in order, once each', async () => {
  const { log } = collect()
  const failures: Error[] = []
  const inbox = new LinkInbox({ log, failed: e => { failures.push(e) } })
  const opened: string[] = []
  void inbox.add(['l1', 'l2'])
  void inbox.add(['l1', 'l3']) // l1 is already waiting
  assert.equal(opened.length, 0, 'nothing is opened before the core is ready')
  await inbox.ready(async link => { opened.push(link) })
  assert.deepEqual(opened, ['l1', 'l2', 'l3'])
  await inbox.add(['l4'])
  assert.deepEqual(opened, ['l1', 'l2', 'l3', 'l4'], 'a link arriving while ready is opened at once')
  await inbox.ready(async link => { opened.push(link) })
  assert.deepEqual(opened, ['l1', 'l2', 'l3', 'l4'], 'a second ready opens nothing again')
  assert.deepEqual(failures, [])
})

test('LinkInbox: a link being opened is not queued again; after it is done it may be opened again', async () => {
  const { log } = collect()
  const inbox = new LinkInbox({ log, failed: () => {} })
  const ctl = controllableOpen()
  await inbox.ready(ctl.open)
  const drained = inbox.add(['l1'])
  await until('l1 to be opened', () => ctl.calls.length === 1)
  void inbox.add(['l1'])
  ctl.settle(0)
  await drained
  assert.deepEqual(ctl.calls, ['l1'])
  const again = inbox.add(['l1'])
  await until('l1 to be opened again', () => ctl.calls.length === 2)
  ctl.settle(1)
  await again
  assert.deepEqual(ctl.calls, ['l1', 'l1'])
})

test('LinkInbox: while the core is down links wait, and are opened when it is ready again', async () => {
  const { log } = collect()
  const inbox = new LinkInbox({ log, failed: () => {} })
  const first: string[] = []
  await inbox.ready(async link => { first.push(link) })
  inbox.down()
  await inbox.add(['l1', 'l2'])
  assert.equal(first.length, 0, 'the old core gets nothing once down')
  const second: string[] = []
  await inbox.ready(async link => { second.push(link) })
  assert.deepEqual(second, ['l1', 'l2'])
})

test('LinkInbox: a failure is reported and the next link goes on', async () => {
  const { lines, log } = collect()
  const failures: Error[] = []
  const inbox = new LinkInbox({ log, failed: e => { failures.push(e) } })
  const opened: string[] = []
  void inbox.add(['bad', 'good'])
  await inbox.ready(async (link) => {
    if (link === 'bad') throw new Error('no such thing')
    opened.push(link)
  })
  assert.deepEqual(opened, ['good'])
  assert.deepEqual(failures.map(e => e.message), ['no such thing'])
  assert.ok(lines.some(l => l.includes('no such thing')), 'the failure is logged')
  await inbox.add(['bad'])
  assert.equal(failures.length, 2, 'a failed link is not stuck: it can be tried again')
})

test('LinkInbox: an open that fails because the core went down is retried on the next ready, not reported', async () => {
  const { log } = collect()
  const failures: Error[] = []
  const inbox = new LinkInbox({ log, failed: e => { failures.push(e) } })
  const ctl = controllableOpen()
  void inbox.add(['l1', 'l2'])
  const drained = inbox.ready(ctl.open)
  await until('l1 to be opened', () => ctl.calls.length === 1)
  inbox.down()
  ctl.settle(0, new Error('fetch failed'))
  await drained
  assert.deepEqual(ctl.calls, ['l1'], 'l2 waits too')
  assert.deepEqual(failures, [])
  const opened: string[] = []
  await inbox.ready(async link => { opened.push(link) })
  assert.deepEqual(opened, ['l1', 'l2'])
})
