// Chord's periodic maintenance, one round at a time: join while alone, check-predecessor, stabilize +
// notify, fix-fingers, and every few rounds re-replication and expiry; then the owner's republishing.
// The rules are the pure ones in routing-table.ts; this file only decides whom to ask and when.
import { ChordRoutingTable, type NodeRef } from './routing-table.ts'
import { chordId } from './ring.ts'
import { ownedRecords } from './records.ts'
import type { ChordRecordStore } from './record-store.ts'
import type { ChordClient } from './client.ts'
import type { ChordAddressBook } from './address-book.ts'
import { NeighboursResponse, NotifyResponse, PingResponse, fromWire, type ChordNode } from './protocol.ts'

/** Fingers refreshed per maintenance round (fix-fingers), round robin over all 160. */
export const FINGERS_PER_ROUND = 8
/** Owners push their records to their successors every this many rounds. */
export const REPLICATE_EVERY_ROUNDS = 5
/** A settled ring slows down: the wait between rounds doubles per quiet round, up to this many times maintenanceMs. */
export const MAX_QUIET_FACTOR = 8

/**
 * The wait before the next round. A round is quiet when the routing state came out as it went in and
 * no call failed; each quiet round in a row doubles the wait (a settled ring of twenty peers in one
 * process spent its CPU on rounds that changed nothing). Anything that may need repair — a change, a
 * failure, a new predecessor or contact — wakes it back to maintenanceMs.
 */
export function roundDelay (maintenanceMs: number, quietRounds: number): number {
  return maintenanceMs * Math.min(2 ** quietRounds, MAX_QUIET_FACTOR)
}

export interface ChordMaintenanceParts {
  table: ChordRoutingTable
  client: ChordClient
  book: ChordAddressBook
  store: ChordRecordStore
  replicas: number
  maintenanceMs: number
  now: () => number
  log: (line: string) => void
  lifetime: AbortSignal
  /** Puts this peer's own records again when they are due (the service keeps what it published). */
  republish: () => Promise<void>
  /** Told the routing table's size after a round that changed it. */
  sizeChanged: (size: number) => void
}

export class ChordMaintenance {
  /** Connected peers that speak our chord protocol: whom a lone node joins through (the service keeps it). */
  readonly contacts = new Set<string>()
  private readonly parts: ChordMaintenanceParts
  private timer: ReturnType<typeof setTimeout> | undefined
  /** The last round queued: rounds run one after another, whether the timer or a test asks. */
  private rounds: Promise<void> = Promise.resolve()
  private roundCount = 0
  private lastSize = 0
  private quietRounds = 0
  private lastState = ''
  private wakeRequested = false
  /** The round in which our predecessor last sent us a well-formed request. */
  private predecessorHeard: { peer: string, round: number } | undefined

  constructor (parts: ChordMaintenanceParts) {
    this.parts = parts
  }

  start (): void {
    this.schedule()
  }

  /** Stops the timer and waits for the round in flight (whose calls end when the lifetime aborts). */
  async stop (): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer)
    await this.rounds
  }

  heardFrom (peer: string): void {
    if (peer === this.parts.table.predecessor?.peer) this.predecessorHeard = { peer, round: this.roundCount }
  }

  /** Something may need repair (a new predecessor or contact, a failed call): back to the full pace now. */
  wake (): void {
    this.wakeRequested = true
    if (this.quietRounds === 0 || this.timer === undefined || this.parts.lifetime.aborted) return
    this.quietRounds = 0
    clearTimeout(this.timer)
    this.timer = undefined
    this.schedule()
  }

  /**
   * One maintenance round, after any round already running; exposed so tests can wait for a whole
   * round (e.g. "a join attempt has been made") instead of sleeping.
   */
  async maintain (): Promise<void> {
    const round = this.rounds.then(async () => { await this.maintainOnce() })
    this.rounds = round.catch(() => {})
    await round
  }

  private schedule (): void {
    if (this.parts.lifetime.aborted) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.maintain()
        .catch(err => { if (!this.parts.lifetime.aborted) this.parts.log(`chord: maintenance failed: ${(err as Error).message}`) })
        .finally(() => { this.schedule() })
    }, roundDelay(this.parts.maintenanceMs, this.quietRounds))
  }

  private async maintainOnce (): Promise<void> {
    this.parts.lifetime.throwIfAborted()
    this.wakeRequested = false
    await this.joinIfAlone()
    await this.checkPredecessor()
    await this.stabilize()
    await this.fixFingers()
    if (this.roundCount++ % REPLICATE_EVERY_ROUNDS === 0) await this.replicate()
    await this.parts.republish()
    const state = this.routingState()
    const alone = this.parts.table.successor.peer === this.parts.table.self.peer
    this.quietRounds = state === this.lastState && !this.wakeRequested && !alone ? this.quietRounds + 1 : 0
    this.lastState = state
    const size = this.parts.table.knownNodes().length
    if (size !== this.lastSize) {
      this.lastSize = size
      this.parts.sizeChanged(size)
    }
  }

  /** Predecessor, successors and fingers, as one comparable string. */
  private routingState (): string {
    const { table } = this.parts
    return [table.predecessor?.peer, ...table.successors.map(n => n.peer), ...table.fingers.map(f => f?.peer)].join()
  }

  /** Join (lecture: look up our own id through any node of the ring) while we know nobody. */
  private async joinIfAlone (): Promise<void> {
    const { table, client, log } = this.parts
    if (table.successor.peer !== table.self.peer) return
    for (const contact of this.contacts) {
      // The lookup starts from a scratch table that knows only the contact, so a contact that fails
      // or lies never enters our own routing state.
      const scratch = new ChordRoutingTable(table.self, { space: table.space, successorListLength: table.successorListLength })
      scratch.join({ id: chordId(contact), peer: contact })
      try {
        const outcome = await client.lookup(table.self.id, {}, scratch)
        const successor = outcome.successors.find(n => n.peer !== table.self.peer)
        if (successor !== undefined) {
          table.join(successor)
          await this.notify(successor)
          return
        }
      } catch (err) {
        this.parts.lifetime.throwIfAborted()
        // Kept: on a loaded machine the contact may just have missed a deadline. A node that gave up
        // on all its contacts would stay alone for good; it leaves the set when it disconnects.
        log(`chord: joining through ${contact} failed (again next round): ${(err as Error).message}`)
      }
    }
  }

  private async notify (successor: NodeRef): Promise<void> {
    await this.parts.client.call(successor, { type: 'notify', addrs: this.parts.book.own() }, NotifyResponse)
  }

  private async checkPredecessor (): Promise<void> {
    const predecessor = this.parts.table.predecessor
    if (predecessor === undefined) return
    // A live predecessor stabilizes against us every round: if we heard from it in this round or the
    // last, it is alive and the ping is saved (a stream fewer per node per round).
    const heard = this.predecessorHeard
    if (heard?.peer === predecessor.peer && this.roundCount - heard.round <= 1) return
    // A predecessor that fails twice in a row is forgotten by call(), which clears it here too.
    await this.parts.client.call(predecessor, { type: 'ping' }, PingResponse)
  }

  private async stabilize (): Promise<void> {
    const { table, client, log } = this.parts
    for (let attempt = 0; attempt <= table.successorListLength; attempt++) {
      const successor = table.successor
      if (successor.peer === table.self.peer) return
      const response = await client.call(successor, { type: 'neighbours' }, NeighboursResponse)
      let neighbours: { predecessor: ChordNode | undefined, successors: ChordNode[] } | undefined
      try {
        neighbours = response === undefined ? undefined : { predecessor: response.predecessor === null ? undefined : fromWire(response.predecessor), successors: response.successors.map(fromWire) }
      } catch (err) {
        log(`chord: successor ${successor.peer} named a lying node: ${(err as Error).message}`)
      }
      if (neighbours === undefined) {
        // A lying successor goes at once; one that did not answer, once call() has forgotten it.
        // Either way the next one on the list takes its place; otherwise we try it again next round.
        if (response !== undefined) table.forget(successor.peer)
        if (table.successor.peer === successor.peer) return
        continue
      }
      for (const n of [...neighbours.successors, ...(neighbours.predecessor === undefined ? [] : [neighbours.predecessor])]) client.learn(n)
      const next = table.stabilize(neighbours.predecessor, neighbours.successors)
      // Notify only a successor that does not already have us as its predecessor (it would change nothing).
      if (next.peer !== successor.peer || neighbours.predecessor?.peer !== table.self.peer) await this.notify(next)
      return
    }
  }

  private async fixFingers (): Promise<void> {
    const { table, client } = this.parts
    let covering: NodeRef | undefined
    for (let i = 0; i < FINGERS_PER_ROUND; i++) {
      const { index, start } = table.nextFingerToFix()
      if (covering === undefined || !table.space.betweenRightInclusive(start, table.self.id, covering.id)) {
        if (table.space.betweenRightInclusive(start, table.self.id, table.successor.id)) {
          covering = table.successor
        } else {
          try {
            covering = (await client.lookup(start)).successors[0]
          } catch {
            this.parts.lifetime.throwIfAborted()
            covering = undefined
          }
        }
      }
      table.setFinger(index, covering)
    }
  }

  /** Owners push their records to the next replicas-1 successors (re-replicating after failures); expired records go. */
  private async replicate (): Promise<void> {
    const { table, client, store, replicas, now } = this.parts
    const at = now()
    await store.expire(at)
    if (table.predecessor === undefined) return
    const owned = ownedRecords(await store.all(at), table)
    if (owned.length === 0) return
    for (const target of table.successors.slice(0, replicas - 1)) {
      if (target.peer !== table.self.peer) await client.storeAt(target, owned)
    }
  }
}
