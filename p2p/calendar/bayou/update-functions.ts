// Runs one write's update function against the database: a dependency check, then either the update
// or the merge procedure. Deterministic: the same database and write give the same result everywhere.
import type { Database, UndoRecord } from './database.ts'
import { childReplicaId, writeId, type ReplicaId } from './order.ts'
import type { Op, Outcome } from './ops.ts'
import type { CalendarEvent, ReplicaRow } from './rows.ts'

export const DEFAULT_ROOM = 'main'

export interface WriteContext { stamp: number, replica: ReplicaId, author: string, op: Op }

const MINUTE = 60_000

const DAY = 86_400_000

/** The days [start, end) touches: the `slots` index lists booked events per room and day. */
function slotKeys (room: string, start: number, end: number): string[] {
  const keys: string[] = []
  for (let day = Math.floor(start / DAY), last = Math.floor((Math.max(end, start + 1) - 1) / DAY); day <= last; day++) keys.push(`${room}\u0000${day}`)
  return keys
}

function slotFree (db: Database, room: string, start: number, end: number, except?: string): boolean {
  for (const key of slotKeys(room, start, end)) {
    for (const id of db.get<string[]>('slots', key) ?? []) {
      const event = db.get<CalendarEvent>('events', id) as CalendarEvent
      if (id !== except && event.start < end && start < event.end) return false
    }
  }
  return true
}

/** Replaces an event (undefined: none) and keeps the slot index in step, recording both for undo. */
function saveEvent (db: Database, id: string, before: CalendarEvent | undefined, after: CalendarEvent | undefined, undo: UndoRecord[]): void {
  if (before?.state === 'booked') {
    for (const key of slotKeys(before.room, before.start, before.end)) {
      const rest = (db.get<string[]>('slots', key) ?? []).filter(other => other !== id)
      db.put('slots', key, rest.length === 0 ? undefined : rest, undo)
    }
  }
  if (after?.state === 'booked') {
    for (const key of slotKeys(after.room, after.start, after.end)) db.put('slots', key, [...(db.get<string[]>('slots', key) ?? []), id].sort(), undo)
  }
  db.put('events', id, after, undo)
}

/** Rebuilds the slot index from the events (after installing a stable database, which omits it). */
export function reindexSlots (db: Database): void {
  for (const [id, event] of db.rows<CalendarEvent>('events')) saveEvent(db, id, undefined, event, [])
}

function iso (ms: number): string {
  return new Date(ms).toISOString()
}

export function execute (db: Database, w: WriteContext, undo: UndoRecord[]): Outcome {
  const op = w.op
  switch (op.kind) {
    case 'create':
      db.put('meta', 'name', op.name, undo)
      db.put('meta', 'primary', w.replica, undo)
      db.put('replicas', w.replica, { member: w.author, retired: false, joinedAt: w.stamp } satisfies ReplicaRow, undo)
      return { ok: true, detail: `created ${op.name}` }
    case 'invite':
      db.put('invites', op.hash, w.stamp, undo)
      return { ok: true, detail: 'invite recorded' }
    case 'join': {
      const id = childReplicaId(w.stamp, w.replica)
      db.put('replicas', id, { member: op.member, retired: false, joinedAt: w.stamp } satisfies ReplicaRow, undo)
      return { ok: true, detail: `replica ${id} joined` }
    }
    case 'retire': {
      const row = db.get<ReplicaRow>('replicas', w.replica)
      if (row == null) return { ok: false, detail: 'not a replica' }
      db.put('replicas', w.replica, { ...row, retired: true }, undo)
      return { ok: true, detail: `replica ${w.replica} retired` }
    }
    case 'handoff': {
      if (db.get('meta', 'primary') !== w.replica) return { ok: false, detail: 'only the primary can hand off' }
      const target = db.get<ReplicaRow>('replicas', op.to)
      if (target == null || target.retired) return { ok: false, detail: `no active replica ${op.to}` }
      db.put('meta', 'primary', op.to, undo)
      return { ok: true, detail: `primary is now ${op.to}` }
    }
    case 'reserve': {
      const length = op.durationMinutes * MINUTE
      const id = writeId(w)
      const base = { id, title: op.title, room: op.room, alternatives: op.alternatives, author: w.author, replica: w.replica }
      const start = op.alternatives.find(s => slotFree(db, op.room, s, s + length))
      if (start === undefined) {
        const first = op.alternatives[0] as number
        saveEvent(db, id, undefined, { ...base, start: first, end: first + length, state: 'conflict' }, undo)
        return { ok: false, detail: 'conflict: no alternative free' }
      }
      saveEvent(db, id, undefined, { ...base, start, end: start + length, state: 'booked' }, undo)
      return { ok: true, detail: `booked ${iso(start)}` }
    }
    case 'cancel': {
      const event = db.get<CalendarEvent>('events', op.eventId)
      if (event == null) return { ok: false, detail: 'no such event' }
      saveEvent(db, op.eventId, event, undefined, undo)
      return { ok: true, detail: 'cancelled' }
    }
    case 'move': {
      const event = db.get<CalendarEvent>('events', op.eventId)
      if (event == null) return { ok: false, detail: 'no such event' }
      const end = op.start + (op.durationMinutes ?? (event.end - event.start) / MINUTE) * MINUTE
      if (!slotFree(db, event.room, op.start, end, event.id)) return { ok: false, detail: 'slot taken' }
      saveEvent(db, event.id, event, { ...event, start: op.start, end, state: 'booked' }, undo)
      return { ok: true, detail: `moved to ${iso(op.start)}` }
    }
    case 'edit': {
      const event = db.get<CalendarEvent>('events', op.eventId)
      if (event == null) return { ok: false, detail: 'no such event' }
      const room = op.room ?? event.room
      if (room !== event.room && event.state === 'booked' && !slotFree(db, room, event.start, event.end, event.id)) {
        return { ok: false, detail: `room ${room} taken` }
      }
      saveEvent(db, event.id, event, { ...event, title: op.title ?? event.title, room }, undo)
      return { ok: true, detail: 'edited' }
    }
  }
}
