// Invites: a string the UI shows as text and QR code. It names the calendar, the members to contact
// (peer id + addresses) and a random secret; the calendar records only the secret's SHA-256, as a write,
// so every member can admit the holder and nobody can derive a secret from the log.
import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { CalendarId } from './bayou/write.ts'
import { CalendarError } from './errors.ts'

const PREFIX = 'tidepool-calendar:'
export const MAX_INVITE_CHARS = 4096

const InviteBody = z.object({
  v: z.literal(1),
  calendar: CalendarId,
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  peers: z.array(z.object({ id: z.string().min(40).max(100), addrs: z.array(z.string().max(300)).max(16) }).strict()).min(1).max(8)
}).strict()
export type Invite = z.infer<typeof InviteBody>

export function newSecret (): string {
  return randomBytes(32).toString('base64url')
}

export function secretHash (secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export function formatInvite (invite: Invite): string {
  return PREFIX + Buffer.from(JSON.stringify(invite)).toString('base64url')
}

export function parseInvite (text: string): Invite {
  const trimmed = text.trim()
  if (!trimmed.startsWith(PREFIX) || trimmed.length > MAX_INVITE_CHARS) throw new CalendarError('bad-invite', `an invite starts with "${PREFIX}"`)
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(trimmed.slice(PREFIX.length), 'base64url').toString('utf8'))
  } catch {
    throw new CalendarError('bad-invite', 'the invite is damaged (not readable)')
  }
  const parsed = InviteBody.safeParse(value)
  if (!parsed.success) throw new CalendarError('bad-invite', `the invite is damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}
