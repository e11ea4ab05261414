// The answering side of the Chord protocol: reads one validated request per stream and answers from
// the routing table and the record store. Peers are untrusted: a malformed or oversized request aborts
// the stream and changes nothing. Work it starts (a stream being served, records handed to a new
// predecessor) is tracked, so stopping waits for it instead of leaving it to meet a closed database.
import type { Connection, Stream } from '@libp2p/interface'
import { messageChannel } from '../../wire/index.ts'
import { chordId } from './ring.ts'
import type { ChordRoutingTable, NodeRef } from './routing-table.ts'
import { recordsToHandOver } from './records.ts'
import type { ChordRecordStore } from './record-store.ts'
import type { ChordAddressBook } from './address-book.ts'
import { MAX_TIMEOUT_FACTOR, type ChordClient } from './client.ts'
import { MAX_MESSAGE_BYTES, Request, stepToWire, toWire, verifiedRecord } from './protocol.ts'

export interface ChordServerParts {
  table: ChordRoutingTable
  book: ChordAddressBook
  store: ChordRecordStore
  client: ChordClient
  rpcTimeoutMs: number
  recordTtlMs: number
  now: () => number
  log: (line: string) => void
  /** Told of every well-formed request, by its sender: a predecessor heard from needs no ping. */
  heardFrom: (peer: string) => void
  /** Told of every request stream that failed, with its sender. */
  refused: (peer: string, err: Error) => void
  /** Told when a notify gave us a new predecessor: the neighbourhood changed. */
  predecessorChanged: () => void
}

export class ChordServer {
  private readonly parts: ChordServerParts
  private readonly inFlight = new Set<Promise<void>>()

  constructor (parts: ChordServerParts) {
    this.parts = parts
  }

  /** The stream handler (registered by the service). */
  readonly handle = (stream: Stream, connection: Connection): void => {
    this.track(this.serve(stream, connection.remotePeer.toString()))
  }

  /** Resolves once every stream being served and every hand-over has finished. */
  async idle (): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  private track (work: Promise<void>): void {
    const tracked = work.catch(err => { this.parts.log(`chord: ${(err as Error).message}`) }).finally(() => { this.inFlight.delete(tracked) })
    this.inFlight.add(tracked)
  }

  private async serve (stream: Stream, remote: string): Promise<void> {
    // As long as the slowest asker may wait for us: its timeout adapts up to this on a loaded machine.
    const channel = messageChannel(stream, { maxMessageBytes: MAX_MESSAGE_BYTES, timeoutMs: MAX_TIMEOUT_FACTOR * this.parts.rpcTimeoutMs })
    try {
      const request = await channel.read(Request)
      this.parts.heardFrom(remote)
      await channel.write(await this.answer(request, remote))
      await channel.close()
    } catch (err) {
      this.parts.refused(remote, err as Error)
      channel.abort(err as Error)
    }
  }

  private async answer (request: Request, remote: string): Promise<unknown> {
    const { table, book, store, now, recordTtlMs } = this.parts
    const addrsOf = (peer: string): string[] => book.addrsOf(peer)
    switch (request.type) {
      case 'step':
        return stepToWire(table.step(BigInt(`0x${request.key}`), new Set(request.avoid)), addrsOf)
      case 'neighbours':
        return {
          predecessor: table.predecessor === undefined ? null : toWire(table.predecessor, addrsOf),
          successors: table.successors.map(n => toWire(n, addrsOf))
        }
      case 'notify': {
        // The candidate is whoever is on the other end of this authenticated connection, at the id its
        // peer id hashes to: nobody can claim a place on the ring for someone else.
        const candidate: NodeRef = { id: chordId(remote), peer: remote }
        const previous = table.predecessor
        const accepted = table.notify(candidate)
        if (accepted) {
          book.set(remote, request.addrs)
          this.parts.predecessorChanged()
          this.track(this.handOver(previous, candidate))
        }
        return { accepted }
      }
      case 'ping':
        return { pong: true }
      case 'store': {
        const at = now()
        const records = await Promise.all(request.records.map(async r => await verifiedRecord(r, at, recordTtlMs)))
        return { stored: await store.putMany(records, at) }
      }
      case 'fetch':
        return { records: await store.get(request.keyId, now()) }
    }
  }

  /** A node joined in front of us: the records now in its arc go to it (the lecture's key transfer on join). */
  private async handOver (previous: NodeRef | undefined, joined: NodeRef): Promise<void> {
    const { table, store, client, now } = this.parts
    const records = recordsToHandOver(await store.all(now()), table.space, previous, joined, table.self)
    if (records.length > 0) await client.storeAt(joined, records)
  }
}
