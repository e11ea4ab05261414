// Renders assets/icon.svg to the app icons electron-builder uses, with Chromium (Playwright):
//   assets/icon.png   1024×1024 PNG (Linux; also the source electron-builder scales from)
//   assets/icon.ico   PNG-in-ICO, 256/48/32/16 (Windows)
//   assets/icon.icns  ic10 1024, ic09 512, ic08 256, ic07 128 PNGs (macOS)
// Both containers are written here by hand: they are a small header plus the PNGs.
// Run: `node scripts/make-icons.ts` (Node >= 22). Chromium: /usr/bin/chromium, or CHROMIUM_PATH.
// The outputs are committed, so packaging never needs a browser.
import { chromium } from '@playwright/test'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets')
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export const ICO_SIZES = [256, 48, 32, 16] as const
export const ICNS_ENTRIES = [['ic10', 1024], ['ic09', 512], ['ic08', 256], ['ic07', 128]] as const

/** Width and height from a PNG's IHDR chunk. */
export function pngSize (png: Uint8Array): { width: number, height: number } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG')
  }
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

/**
 * An ICO file holding PNG images (Windows Vista and later read these). Layout, little-endian:
 * ICONDIR {reserved 0, type 1, count} then one 16-byte ICONDIRENTRY per image {width, height
 * (0 means 256), colours 0, reserved 0, planes 1, bits per pixel 32, byte size, offset}, then the PNGs.
 */
export function packIco (pngs: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(pngs.length, 4)
  let offset = header.length
  pngs.forEach((png, i) => {
    const { width, height } = pngSize(png)
    if (width > 256 || height > 256) throw new Error(`ICO images are at most 256×256, got ${width}×${height}`)
    const at = 6 + 16 * i
    header.writeUInt8(width === 256 ? 0 : width, at)
    header.writeUInt8(height === 256 ? 0 : height, at + 1)
    header.writeUInt8(0, at + 2)
    header.writeUInt8(0, at + 3)
    header.writeUInt16LE(1, at + 4)
    header.writeUInt16LE(32, at + 6)
    header.writeUInt32LE(png.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...pngs])
}

/**
 * An ICNS file: 'icns' + total length (u32 big-endian), then per image its 4-character type +
 * its length including this 8-byte header (u32 big-endian) + the PNG.
 */
export function packIcns (entries: ReadonlyArray<readonly [type: string, png: Uint8Array]>): Buffer {
  const parts: Buffer[] = []
  for (const [type, png] of entries) {
    if (!/^[a-z0-9]{4}$/.test(type)) throw new Error(`bad ICNS type ${type}`)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(8 + png.length, 4)
    parts.push(head, Buffer.from(png))
  }
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + body.length, 4)
  return Buffer.concat([head, body])
}

async function render (svg: string, sizes: readonly number[]): Promise<Map<number, Buffer>> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`)
  }
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
  })
  try {
    const out = new Map<number, Buffer>()
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
    for (const size of sizes) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 })
      await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent"><img id="icon" alt="" width="${size}" height="${size}" style="display:block" src="${src}"></body></html>`)
      await page.locator('#icon').evaluate(async (img: HTMLImageElement) => { await img.decode() })
      const png = await page.screenshot({ type: 'png', omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } })
      const got = pngSize(png)
      if (got.width !== size || got.height !== size) throw new Error(`rendered ${got.width}×${got.height}, wanted ${size}×${size}`)
      out.set(size, png)
      await page.close()
    }
    return out
  } finally {
    await browser.close()
  }
}

async function main (): Promise<void> {
  const svg = await readFile(join(ASSETS, 'icon.svg'), 'utf8')
  const sizes = [...new Set<number>([1024, ...ICNS_ENTRIES.map(([, s]) => s), ...ICO_SIZES])]
  const pngs = await render(svg, sizes)
  const png = (size: number): Buffer => {
    const p = pngs.get(size)
    if (p === undefined) throw new Error(`no ${size} px render`)
    return p
  }
  await writeFile(join(ASSETS, 'icon.png'), png(1024))
  await writeFile(join(ASSETS, 'icon.ico'), packIco(ICO_SIZES.map(png)))
  await writeFile(join(ASSETS, 'icon.icns'), packIcns(ICNS_ENTRIES.map(([type, size]) => [type, png(size)] as const)))
  process.stdout.write(`wrote ${['icon.png', 'icon.ico', 'icon.icns'].map(f => join(ASSETS, f)).join(', ')}\n`)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
