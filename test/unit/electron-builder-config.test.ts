// electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json), the
// decisions this project relies on, and the icons it names: present, and of the right sizes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import YAML from 'yaml'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(import.meta.url)

type Json = Record<string, any>

const config = YAML.parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Json

function compileSchema (): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as Json
  // A draft-07 schema written for electron-builder's own Ajv (strict: false): it has union types and
  // custom keywords (`typeof`) that a strict Ajv refuses.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false })
  return ajv.compile(schema)
}

test('electron-builder.yml matches electron-builder\'s schema', () => {
  const validate = compileSchema()
  const ok = validate(config)
  assert.equal(ok, true, JSON.stringify(validate.errors, null, 2))
})

test('the schema check has teeth: an unknown key and a wrong type are rejected', () => {
  const validate = compileSchema()
  assert.equal(validate({ ...config, notAnOption: true }), false)
  assert.equal(validate({ ...config, asarUnpack: 42 }), false)
  assert.equal(validate({ ...config, linux: { ...config.linux, target: 7 } }), false)
})

test('identity, output and contents', () => {
  assert.equal(config.appId, 'org.tidepool.app')
  assert.equal(config.productName, 'Tidepool')
  assert.equal(config.directories?.output, 'release')
  const files = config.files as string[]
  for (const pattern of ['dist/**', 'package.json', 'node_modules/**', '!node_modules/electron/**']) {
    assert.ok(files.includes(pattern), `files has ${pattern}`)
  }
  assert.ok((config.asarUnpack as string[]).includes('node_modules/classic-level/**'), 'classic-level is unpacked from asar')
  assert.equal(config.npmRebuild, false, 'N-API prebuilds: no rebuild (and no header download)')
})

test('hardening fuses are set', () => {
  assert.equal(config.electronFuses?.runAsNode, false)
  assert.equal(config.electronFuses?.enableNodeOptionsEnvironmentVariable, false)
  assert.equal(config.electronFuses?.enableNodeCliInspectArguments, false)
  assert.equal(config.electronFuses?.onlyLoadAppFromAsar, true)
})

test('tidepool:// links are registered to open the app', () => {
  assert.deepEqual(config.protocols, [{ name: 'Tidepool link', schemes: ['tidepool'] }])
  const validate = compileSchema()
  assert.equal(validate({ ...config, protocols: [{ name: 'Tidepool link', scheme: 'tidepool' }] }), false, 'the schema checks protocol entries')
})

test('targets per platform', () => {
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb'])
  assert.equal(config.linux?.category, 'Network')
  assert.equal(typeof config.linux?.maintainer, 'string')
  assert.equal(typeof config.linux?.synopsis, 'string')
  assert.deepEqual(config.mac?.target, ['dmg'])
  assert.equal(config.mac?.category, 'public.app-category.utilities')
  assert.deepEqual(config.win?.target, ['nsis'])
})

test('package.json points Electron at the compiled main process', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Json
  assert.equal(pkg.main, 'dist/main/main.js')
  assert.equal(pkg.type, 'module')
  assert.equal(pkg.dependencies?.electron, undefined, 'electron must not be a production dependency')
})

// ---- icons ---------------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function png (buf: Buffer, what: string): { width: number, height: number, colorType: number } {
  assert.ok(buf.length > 33, `${what}: too short for a PNG`)
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), `${what}: no PNG signature`)
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR', `${what}: first chunk is not IHDR`)
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf.readUInt8(25) }
}

function iconPath (key: 'linux' | 'mac' | 'win'): string {
  const path = config[key]?.icon as unknown
  assert.equal(typeof path, 'string', `${key}.icon is set`)
  const full = join(ROOT, path as string)
  assert.ok(existsSync(full), `${path} exists`)
  return full
}

test('linux icon: a 1024×1024 PNG with alpha', () => {
  const info = png(readFileSync(iconPath('linux')), 'icon.png')
  assert.deepEqual([info.width, info.height], [1024, 1024])
  assert.equal(info.colorType, 6, 'RGBA')
})

test('windows icon: an ICO of PNGs at 256, 48, 32 and 16', () => {
  const ico = readFileSync(iconPath('win'))
  assert.equal(ico.readUInt16LE(0), 0, 'reserved')
  assert.equal(ico.readUInt16LE(2), 1, 'type 1 = icon')
  const count = ico.readUInt16LE(4)
  const sizes: number[] = []
  let end = 6 + 16 * count
  for (let i = 0; i < count; i++) {
    const at = 6 + 16 * i
    const w = ico.readUInt8(at) === 0 ? 256 : ico.readUInt8(at)
    const h = ico.readUInt8(at + 1) === 0 ? 256 : ico.readUInt8(at + 1)
    assert.equal(ico.readUInt16LE(at + 4), 1, 'planes')
    assert.equal(ico.readUInt16LE(at + 6), 32, 'bits per pixel')
    const size = ico.readUInt32LE(at + 8)
    const offset = ico.readUInt32LE(at + 12)
    assert.ok(offset >= 6 + 16 * count && offset + size <= ico.length, `entry ${i} lies inside the file`)
    const image = png(ico.subarray(offset, offset + size), `ICO entry ${i}`)
    assert.deepEqual([image.width, image.height], [w, h], `ICO entry ${i}: directory size matches the PNG`)
    sizes.push(w)
    end = Math.max(end, offset + size)
  }
  assert.deepEqual(sizes, [256, 48, 32, 16])
  assert.equal(end, ico.length, 'no trailing bytes')
})

test('mac icon: an ICNS with ic10 1024, ic09 512 and ic08 256 PNGs', () => {
  const icns = readFileSync(iconPath('mac'))
  assert.equal(icns.toString('latin1', 0, 4), 'icns')
  assert.equal(icns.readUInt32BE(4), icns.length, 'header length is the file length')
  const found = new Map<string, number>()
  let at = 8
  while (at < icns.length) {
    const type = icns.toString('latin1', at, at + 4)
    const length = icns.readUInt32BE(at + 4)
    assert.ok(length > 8 && at + length <= icns.length, `${type}: length inside the file`)
    const image = png(icns.subarray(at + 8, at + length), `ICNS ${type}`)
    assert.equal(image.width, image.height, `${type} is square`)
    found.set(type, image.width)
    at += length
  }
  assert.equal(at, icns.length)
  assert.equal(found.get('ic10'), 1024)
  assert.equal(found.get('ic09'), 512)
  assert.equal(found.get('ic08'), 256)
})

test('the icon source is an SVG next to its renders', () => {
  const svg = readFileSync(join(ROOT, 'assets', 'icon.svg'), 'utf8')
  assert.match(svg, /^<svg [^>]*viewBox="0 0 1024 1024"/)
})
