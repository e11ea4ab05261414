// Share links: tidepool://<cid>?name=…&size=…[#key=…]. The key (private shares) rides in the fragment,
// which no peer, DHT or server ever sees. A bare CID is a link too.
import { parseCid } from './dag.ts'
import { FilesError } from './errors.ts'
import type { CID } from 'multiformats/cid'

export interface ShareLink {
  cid: CID
  name?: string
  size?: number
  /** base64url AES key of a private share. */
  key?: string
}

const SCHEME = 'tidepool://'
const KEY = /^[A-Za-z0-9_-]{43}$/

export function formatLink (link: ShareLink): string {
  const query = new URLSearchParams()
  if (link.name !== undefined) query.set('name', link.name)
  if (link.size !== undefined) query.set('size', String(link.size))
  const q = query.toString()
  return `${SCHEME}${link.cid.toString()}${q === '' ? '' : `?${q}`}${link.key === undefined ? '' : `#key=${link.key}`}`
}

export function parseLink (text: string): ShareLink {
  const trimmed = text.trim()
  if (!trimmed.startsWith(SCHEME)) return { cid: parseCid(trimmed) }
  const rest = trimmed.slice(SCHEME.length)
  const hashAt = rest.indexOf('#')
  const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt)
  const fragment = hashAt === -1 ? '' : rest.slice(hashAt + 1)
  const queryAt = beforeHash.indexOf('?')
  const cid = parseCid(queryAt === -1 ? beforeHash.replace(/\/$/, '') : beforeHash.slice(0, queryAt).replace(/\/$/, ''))
  const query = new URLSearchParams(queryAt === -1 ? '' : beforeHash.slice(queryAt + 1))
  const link: ShareLink = { cid }
  const name = query.get('name')
  if (name !== null && name !== '') link.name = name
  const size = query.get('size')
  if (size !== null) {
    const n = Number(size)
    if (!Number.isSafeInteger(n) || n < 0) throw new FilesError('bad-link', `size=${size} is not a byte count`)
    link.size = n
  }
  const key = new URLSearchParams(fragment).get('key')
  if (key !== null) {
    if (!KEY.test(key)) throw new FilesError('bad-link', 'the key in the link is not 32 bytes of base64url')
    link.key = key
  }
  return link
}
