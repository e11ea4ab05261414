// The asking side of the Chord protocol: one request and one response per stream, each under a timeout
// merged with the caller's abort signal. The timeout adapts to how long answers take (libp2p's
// AdaptiveTimeout, as kad-dht uses): never below rpcTimeoutMs, growing on a loaded machine up to
// MAX_TIMEOUT_FACTOR times it, so slow-but-alive nodes are not taken for dead ones. A node that fails to answer is counted (contact-failures.ts)
// and forgotten by the routing table at its second failure in a row; a caller that gives up (its signal
// aborted) is not the node's fault and counts against nobody.
import type { AbortOptions, Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { AdaptiveTimeout } from '@libp2p/utils'
import type { z } from 'zod'
import { WireError, messageChannel } from '../../wire/index.ts'
import { DhtLookupError } from '../index.ts'
import { idToHex } from './ring.ts'
import type { ChordRoutingTable, NodeRef, StepAnswer } from './routing-table.ts'
import { runLookup, type LookupOutcome } from './lookup.ts'
import type { ChordRecord } from './records.ts'
import type { ChordRecordStore } from './record-store.ts'
import { ContactFailures } from './contact-failures.ts'
import type { ChordAddressBook } from './address-book.ts'
import {
  FetchResponse, MAX_MESSAGE_BYTES, MAX_RECORDS, StepResponse, StoreResponse, verifiedRecord, stepFromWire,
  type ChordNode, type Request
} from './protocol.ts'

export interface ChordClientParts {
  node: Libp2p
  protocol: string
  table: ChordRoutingTable
  book: ChordAddressBook
  store: ChordRecordStore
  rpcTimeoutMs: number
  recordTtlMs: number
  now: () => number
  log: (line: string) => void
  /** Aborted when the node stops: every call in flight ends then. */
  lifetime: AbortSignal
  /** Told of every failed call: the routing state may need repair. */
  failed: () => void
}

/** How far the adaptive RPC timeout may grow past rpcTimeoutMs (the server waits this long for a request too). */
export const MAX_TIMEOUT_FACTOR = 5

/** Errors that mean the stream or connection closed under us (a connection being replaced): worth one retry. */
const CLOSED_UNDER_US = new Set(['StreamStateError', 'StreamResetError', 'ConnectionClosingError', 'ConnectionClosedError', 'MuxerClosedError'])

function closedUnderUs (err: unknown): boolean {
  if (err instanceof WireError) return err.code === 'closed'
  return err instanceof Error && CLOSED_UNDER_US.has(err.name)
}

export class ChordClient {
  private readonly parts: ChordClientParts
  private readonly failures = new ContactFailures()
  private readonly timeout: AdaptiveTimeout

  constructor (parts: ChordClientParts) {
    this.parts = parts
    this.timeout = new AdaptiveTimeout({ minTimeout: parts.rpcTimeoutMs, maxTimeout: MAX_TIMEOUT_FACTOR * parts.rpcTimeoutMs })
  }

  /** The key's live successors, owner first, by an iterative lookup from table (ours unless given). */
  async lookup (key: bigint, options: AbortOptions = {}, from: ChordRoutingTable = this.parts.table): Promise<LookupOutcome & { ok: true }> {
    const outcome = await runLookup(from, key, async request => await this.askStep(request.to, request.key, request.avoid, options))
    if (!outcome.ok) throw new DhtLookupError(`lookup of ${idToHex(key)} failed: ${outcome.reason} after ${outcome.hops} hops`)
    return outcome
  }

  /**
   * One request/response with a node; undefined if it cannot be reached, times out or breaks the
   * protocol (counted against it). Throws only when the caller's signal aborts.
   */
  async call<S extends z.ZodType> (to: NodeRef, request: Request, schema: S, options: AbortOptions = {}): Promise<z.infer<S> | undefined> {
    let outcome = await this.callOnce(to, request, schema, options)
    if (!outcome.ok && outcome.retry) outcome = await this.callOnce(to, request, schema, options)
    if (outcome.ok) {
      this.failures.answered(to.peer)
      return outcome.response
    }
    this.parts.failed()
    if (this.failures.failed(to.peer)) {
      this.parts.log(`chord: forgetting ${to.peer} after failed contacts`)
      this.parts.table.forget(to.peer)
    }
    return undefined
  }

  async storeAt (target: NodeRef, records: ChordRecord[], options: AbortOptions = {}): Promise<boolean> {
    if (target.peer === this.parts.table.self.peer) {
      await this.parts.store.putMany(records, this.parts.now())
      return true
    }
    for (let i = 0; i < records.length; i += MAX_RECORDS) {
      const response = await this.call(target, { type: 'store', records: records.slice(i, i + MAX_RECORDS) }, StoreResponse, options)
      if (response === undefined) return false
    }
    return true
  }

  /** The records target holds for keyId that we believe (checked, signed); undefined if it did not answer. */
  async fetchFrom (target: NodeRef, keyId: bigint, options: AbortOptions = {}): Promise<ChordRecord[] | undefined> {
    const { store, now, recordTtlMs, log } = this.parts
    if (target.peer === this.parts.table.self.peer) return await store.get(idToHex(keyId), now())
    const response = await this.call(target, { type: 'fetch', keyId: idToHex(keyId) }, FetchResponse, options)
    if (response === undefined) return undefined
    const records: ChordRecord[] = []
    for (const wire of response.records) {
      try {
        if (wire.keyId === idToHex(keyId)) records.push(await verifiedRecord(wire, now(), recordTtlMs))
      } catch (err) {
        log(`chord: ${target.peer} sent a record we refuse: ${(err as Error).message}`)
      }
    }
    return records
  }

  private async askStep (to: NodeRef, key: bigint, avoid: ReadonlySet<string>, options: AbortOptions): Promise<StepAnswer | undefined> {
    options.signal?.throwIfAborted()
    this.parts.lifetime.throwIfAborted()
    if (to.peer === this.parts.table.self.peer) return this.parts.table.step(key, avoid)
    const response = await this.call(to, { type: 'step', key: idToHex(key), avoid: [...avoid] }, StepResponse, options)
    if (response === undefined) return undefined
    try {
      const answer = stepFromWire(response)
      if (answer.kind === 'found') answer.successors.forEach(n => { this.learn(n as ChordNode) })
      if (answer.kind === 'next') this.learn(answer.node as ChordNode)
      return answer
    } catch (err) {
      this.parts.log(`chord: ${to.peer} answered with a lying node: ${(err as Error).message}`)
      this.parts.table.forget(to.peer)
      return undefined
    }
  }

  learn (node: ChordNode): void {
    this.parts.book.set(node.peer, node.addrs)
  }

  private async callOnce<S extends z.ZodType> (to: NodeRef, request: Request, schema: S, options: AbortOptions): Promise<{ ok: true, response: z.infer<S> } | { ok: false, retry: boolean }> {
    const { node, protocol, book, rpcTimeoutMs, log, lifetime } = this.parts
    const caller = options.signal == null ? lifetime : AbortSignal.any([lifetime, options.signal])
    const signal = this.timeout.getTimeoutSignal({ signal: caller })
    try {
      const peerId = peerIdFromString(to.peer)
      await book.prepareDial(peerId)
      const stream = await node.dialProtocol(peerId, protocol, { signal })
      const channel = messageChannel(stream, { maxMessageBytes: MAX_MESSAGE_BYTES, timeoutMs: MAX_TIMEOUT_FACTOR * rpcTimeoutMs })
      await channel.write(request, { signal })
      const response = await channel.read(schema, { signal })
      await channel.close({ signal })
      this.timeout.cleanUp(signal)
      return { ok: true, response }
    } catch (err) {
      // The caller gave up (or we are stopping): say so, and hold nothing against the node — nor let
      // its wait teach the timeout anything.
      if (caller.aborted) {
        signal.clear()
        caller.throwIfAborted()
      }
      this.timeout.cleanUp(signal)
      log(`chord: ${request.type} to ${to.peer} failed: ${(err as Error).message}`)
      return { ok: false, retry: closedUnderUs(err) }
    }
  }
}
