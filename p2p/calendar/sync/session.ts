// One anti-entropy session over a stream, both directions, three turns:
//   1. initiator: hello {summary}          responder: accepted, what the initiator lacks, end {summary}
//   2. initiator: what the responder lacks, end {summary}
//   3. responder: what the initiator still lacks (e.g. the commits the primary just made), end
// Each frame is applied and persisted as it arrives; the prefix property makes any cut-off session
// leave a valid log behind. Data frames are deflated (codec.ts); the opening, answer and `end` are
// plain JSON. A sender makes each frame only once the previous one is sent (the stream's backpressure),
// and both sides give the event loop a turn between frames.
import type { MessageChannel } from '../../wire/index.ts'
import type { ReceiveResult } from '../bayou/replica.ts'
import type { Batch, Summary } from '../bayou/messages.ts'
import { ROOT_REPLICA } from '../bayou/order.ts'
import { CalendarError } from '../errors.ts'
import { framesOf, SnapshotAssembler } from './chunks.ts'
import { decodeFrame, encodeFrame } from './codec.ts'
import { Answer, Opening, PROTOCOL_VERSION, type DataFrame, type RefusalCode } from './protocol.ts'

/** What a session needs from the calendar service, for one calendar. */
export interface SyncHost {
  summary: (calendar: string) => Summary
  batchFor: (calendar: string, receiver: Summary) => Batch
  /** Applies one frame (a snapshot or writes) and persists the result before returning. */
  apply: (calendar: string, frame: DataFrame) => Promise<ReceiveResult>
  /** May `peerId` sync this calendar with us? */
  authorize: (calendar: string, peerId: string) => { ok: true } | { ok: false, code: RefusalCode, reason: string }
  /** Admits `peerId` with an invite's secret: the id of the replica made for it. */
  admit: (calendar: string, peerId: string, secret: string) => Promise<{ ok: true, replica: string } | { ok: false, code: RefusalCode, reason: string }>
}

export interface SyncStats {
  sentWrites: number
  sentCommits: number
  sentBytes: number
  receivedWrites: number
  receivedCommits: number
  receivedBytes: number
  /** New to us (not duplicates). */
  accepted: number
  /** Writes that became committed here, by a notice received or issued (we are the primary). */
  committed: number
  snapshot: boolean
}

function emptyStats (): SyncStats {
  return { sentWrites: 0, sentCommits: 0, sentBytes: 0, receivedWrites: 0, receivedCommits: 0, receivedBytes: 0, accepted: 0, committed: 0, snapshot: false }
}

/** A joining replica has nothing yet: it needs everything from the root's genesis on. */
export const EMPTY_SUMMARY: Summary = { vv: { [ROOT_REPLICA]: 0 }, csn: 0 }

const turn = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

async function sendBatch (channel: MessageChannel, batch: Batch, stats: SyncStats): Promise<void> {
  for (const frame of framesOf(batch)) {
    const bytes = encodeFrame(frame)
    await channel.writeBytes(bytes)
    stats.sentBytes += bytes.byteLength
    if (frame.type === 'writes') {
      for (const run of frame.runs) stats.sentWrites += run.writes.length
      for (const run of frame.commits) stats.sentCommits += run.notices.length
    }
    await turn()
  }
}

async function sendEnd (channel: MessageChannel, summary?: Summary): Promise<void> {
  await channel.writeBytes(encodeFrame(summary === undefined ? { type: 'end' } : { type: 'end', summary }))
}

/** Reads and applies frames until the sender's `end`; returns the summary it carried. */
async function receiveBatch (channel: MessageChannel, host: SyncHost, calendar: string, stats: SyncStats): Promise<Summary | undefined> {
  const parts = new SnapshotAssembler()
  for (;;) {
    const bytes = await channel.readBytes()
    stats.receivedBytes += bytes.byteLength
    let data: DataFrame | undefined
    try {
      const { frame, size } = decodeFrame(bytes)
      if (frame.type === 'end') return frame.summary
      data = parts.take(frame, size)
    } catch (err) {
      channel.abort(err as Error)
      throw err
    }
    if (data === undefined) continue
    if (data.type === 'writes') {
      for (const run of data.runs) stats.receivedWrites += run.writes.length
      for (const run of data.commits) stats.receivedCommits += run.notices.length
    }
    let result: ReceiveResult
    try {
      result = await host.apply(calendar, data)
    } catch (err) {
      channel.abort(err as Error) // a lying frame ends the session; what came before it stays
      throw err
    }
    stats.accepted += result.accepted
    stats.committed += result.committed + result.issued.length
    stats.snapshot ||= result.snapshot
    await turn()
  }
}

/** The dialling side. `opening` is a hello (member) or a join (invite); `onAccepted` runs before any data. */
export async function initiateSync (
  channel: MessageChannel, host: SyncHost, opening: Opening, onAccepted: (replica: string | undefined) => Promise<void> = async () => {}
): Promise<SyncStats> {
  const stats = emptyStats()
  await channel.write(opening)
  const answer = await channel.read(Answer)
  if (answer.type === 'refused') {
    await channel.close()
    throw new CalendarError('refused', `${answer.code}: ${answer.reason}`)
  }
  await onAccepted(answer.replica)
  const theirs = await receiveBatch(channel, host, opening.calendar, stats)
  await sendBatch(channel, host.batchFor(opening.calendar, theirs ?? EMPTY_SUMMARY), stats)
  await sendEnd(channel, host.summary(opening.calendar))
  // The last word: what our writes caused over there, e.g. the primary's commit notices for them.
  await receiveBatch(channel, host, opening.calendar, stats)
  await channel.close()
  return stats
}

/** The answering side, for one inbound stream from `peerId`. */
export async function answerSync (channel: MessageChannel, host: SyncHost, peerId: string): Promise<SyncStats & { calendar: string }> {
  const opening = await channel.read(Opening)
  const stats = { ...emptyStats(), calendar: opening.calendar }
  let theirs: Summary
  if (opening.type === 'join') {
    const admitted = await host.admit(opening.calendar, peerId, opening.secret)
    if (!admitted.ok) {
      await channel.write({ type: 'refused', code: admitted.code, reason: admitted.reason })
      await channel.close()
      return stats
    }
    await channel.write({ type: 'accepted', replica: admitted.replica })
    theirs = EMPTY_SUMMARY
  } else {
    const allowed = host.authorize(opening.calendar, peerId)
    if (!allowed.ok) {
      await channel.write({ type: 'refused', code: allowed.code, reason: allowed.reason })
      await channel.close()
      return stats
    }
    await channel.write({ type: 'accepted' })
    theirs = opening.summary
  }
  await sendBatch(channel, host.batchFor(opening.calendar, theirs), stats)
  await sendEnd(channel, host.summary(opening.calendar))
  const after = await receiveBatch(channel, host, opening.calendar, stats)
  await sendBatch(channel, host.batchFor(opening.calendar, after ?? theirs), stats)
  await sendEnd(channel)
  await channel.close()
  return stats
}

/**
 * A peer dialling a previous version of the protocol: its opening is the same, so it is answered in
 * that version's own terms (a refusal code it knows) with a reason that says what to do.
 */
export async function refuseOldVersion (channel: MessageChannel, version: string): Promise<void> {
  await channel.read(Opening)
  await channel.write({
    type: 'refused',
    code: 'unknown-calendar',
    reason: `this peer syncs calendars with calendar-sync/${PROTOCOL_VERSION}, yours speaks ${version}: update Tidepool to sync with it`
  })
  await channel.close()
}
