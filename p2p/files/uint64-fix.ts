// protons-runtime (7.1.2, also 8.0.1) writes a uint64 varint wrongly when the value lies in
// [2^31, 2^32): LongBits keeps its low word as a signed 32-bit int, so the writer sees a negative low
// word and emits one garbage byte. ipfs-unixfs encodes fileSize and blockSizes with it, so a file of
// 2–4 GiB (a "4 GB" file) got a root node that doesn't decode and a CID that isn't IPFS's.
// Imported for its effect: the writer's uint64 sends safe integers through uint64Number, whose varint
// (uint8-varint) is right for every safe integer and gives the same bytes a correct encoder would.
import { writer } from 'protons-runtime'

interface Uint64Writer {
  uint64: (value: bigint) => Uint64Writer
  uint64Number: (value: number) => Uint64Writer
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function patch (): void {
  // The method lives on the writer class's prototype, which the package doesn't export.
  const proto = Object.getPrototypeOf(writer()) as Uint64Writer & { uint64Fixed?: true }
  if (proto.uint64Fixed === true) return
  const original = proto.uint64
  proto.uint64 = function (this: Uint64Writer, value: bigint): Uint64Writer {
    return value >= 0n && value <= MAX_SAFE ? this.uint64Number(Number(value)) : original.call(this, value)
  }
  proto.uint64Fixed = true
}

patch()
