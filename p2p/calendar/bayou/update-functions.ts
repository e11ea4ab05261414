// Runs one write's update function against the database: a dependency check, then either the update
// or the merge procedure. Deterministic: the same database and write give the same result everywhere.
import type { Database, UndoRecord } from './database.ts'
import { childReplicaId, writeId, type ReplicaId } from './order.ts'
import type { Op, Outcome } from './ops.ts'
import type { CalendarEvent, ReplicaRow } from './rows.ts'
import { saveEvent, slotFree } from './slots.ts'
import { executeAllEvents, executeFollowing, executeOccurrence, executeSchedule, moveOrEdit } from './series.ts'

export const DEFAULT_ROOM = 'main'

export interface WriteContext { stamp: number, replica: ReplicaId, author: string, op: Op }

const MINUTE = 60_000

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
      if (event.recurrence != null) return moveOrEdit(db, w, event, { start: op.start, durationMinutes: op.durationMinutes }, undo)
      const end = op.start + (op.durationMinutes ?? (event.end - event.start) / MINUTE) * MINUTE
      if (!slotFree(db, event.room, op.start, end, event.id)) return { ok: false, detail: 'slot taken' }
      saveEvent(db, event.id, event, { ...event, start: op.start, end, state: 'booked' }, undo)
      return { ok: true, detail: `moved to ${iso(op.start)}` }
    }
    case 'edit': {
      const event = db.get<CalendarEvent>('events', op.eventId)
      if (event == null) return { ok: false, detail: 'no such event' }
      if (event.recurrence != null) return moveOrEdit(db, w, event, { ...(op.title !== undefined ? { title: op.title } : {}), ...(op.room !== undefined ? { room: op.room } : {}) }, undo)
      const room = op.room ?? event.room
      if (room !== event.room && event.state === 'booked' && !slotFree(db, room, event.start, event.end, event.id)) {
        return { ok: false, detail: `room ${room} taken` }
      }
      saveEvent(db, event.id, event, { ...event, title: op.title ?? event.title, room }, undo)
      return { ok: true, detail: 'edited' }
    }
    case 'schedule': return executeSchedule(db, w, op, undo)
    case 'occurrence': return executeOccurrence(db, w, op, undo)
    case 'following': return executeFollowing(db, w, op, undo)
    case 'series': return executeAllEvents(db, w, op, undo)
  }
}
