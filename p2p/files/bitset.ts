// Which chunks of a download are verified on disk: one bit each, persisted as bytes.
export class Bitset {
  readonly size: number
  readonly bytes: Uint8Array
  private count = 0

  constructor (size: number, bytes?: Uint8Array) {
    this.size = size
    this.bytes = new Uint8Array(Math.ceil(size / 8))
    if (bytes !== undefined && bytes.length === this.bytes.length) {
      for (let i = 0; i < size; i++) if ((bytes[i >> 3]! & (1 << (i & 7))) !== 0) this.set(i)
    }
  }

  has (i: number): boolean {
    return (this.bytes[i >> 3]! & (1 << (i & 7))) !== 0
  }

  set (i: number): void {
    if (i < 0 || i >= this.size || this.has(i)) return
    this.bytes[i >> 3]! |= 1 << (i & 7)
    this.count++
  }

  clear (i: number): void {
    if (!this.has(i)) return
    this.bytes[i >> 3]! &= ~(1 << (i & 7))
    this.count--
  }

  get setCount (): number {
    return this.count
  }

  get full (): boolean {
    return this.count === this.size
  }
}
