// What the miner and its worker threads say to each other (in-process, structured clone).
/** A new job replaces the current one; the miner stops a worker by terminating it. */
export interface ToWorker { type: 'job', id: number, header: Uint8Array, target: Uint32Array, from: number, to: number }

export type FromWorker =
  | { type: 'progress', id: number, hashes: number }
  | { type: 'found', id: number, nonce: number }
  | { type: 'exhausted', id: number }
