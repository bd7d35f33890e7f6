import duckdb from '@duckdb/node-bindings'
import {type Data, Type} from 'apache-arrow'

/**
 * Bulk copies through the C API: Arrow and DuckDB both store little-endian values and LSB-first validity bits, and
 * text goes over as UTF-8 bytes, never one JavaScript value at a time as with `setColumnValues`.
 */

/** Integer codes of a dictionary-encoded text column, with an Arrow-style validity bitmap (null: no nulls). */
export interface CodeColumn {
  codes: Int32Array
  validity: Uint8Array | null
}

const BIT = (bitmap: Uint8Array, i: number) => (bitmap[i >> 3] >> (i & 7)) & 1

/** Nothing is written when the slice has no nulls: a vector starts all valid. */
function writeValidity(
  vector: duckdb.Vector,
  bitmap: Uint8Array | null | undefined,
  bitOffset: number,
  n: number,
): void {
  if (!bitmap || bitmap.length === 0) return
  const words = Math.ceil(n / 64)
  const out = new Uint8Array(words * 8)
  let nulls = 0
  if ((bitOffset & 7) === 0) {
    const from = bitOffset >> 3
    out.set(bitmap.subarray(from, from + ((n + 7) >> 3)))
    // Bits past n are set: DuckDB only looks at rows below the chunk size, but keep them "valid" anyway.
    for (let i = n; i < words * 64; i++) out[i >> 3] |= 1 << (i & 7)
    for (let i = 0; i < n; i++) if (BIT(out, i) === 0) nulls++
  } else {
    out.fill(0xff)
    for (let i = 0; i < n; i++)
      if (BIT(bitmap, bitOffset + i) === 0) {
        out[i >> 3] &= ~(1 << (i & 7))
        nulls++
      }
  }
  if (nulls === 0) return
  duckdb.vector_ensure_validity_writable(vector)
  duckdb.copy_data_to_vector_validity(vector, 0, out.buffer, 0, out.byteLength)
}

function copyValues(
  vector: duckdb.Vector,
  values: ArrayBufferView & {BYTES_PER_ELEMENT: number},
  start: number,
  n: number,
): void {
  const size = values.BYTES_PER_ELEMENT
  duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + start * size, n * size)
}

/** 64-bit values of an Arrow int64 / timestamp column as 32-bit word pairs (low, high), whatever its buffer type. */
function int64Words(data: Data): Int32Array {
  const v = data.values as ArrayBufferView
  return new Int32Array(v.buffer, v.byteOffset, data.length * 2)
}

export function writeArrowSlice(vector: duckdb.Vector, data: Data, start: number, n: number): void {
  const bitmap = data.nullCount > 0 ? data.nullBitmap : null
  writeValidity(vector, bitmap, data.offset + start, n)
  switch (data.typeId) {
    case Type.Float:
    case Type.Int: {
      // Fixed-width buffers of a sliced column are already sliced: element i is row i of this Data.
      const bits = (data.type as unknown as {bitWidth?: number}).bitWidth
      if (data.typeId === Type.Int && bits === 64) copyValues(vector, int64Words(data), start * 2, n * 2)
      else copyValues(vector, data.values as Float64Array | Int32Array, start, n)
      return
    }
    case Type.Timestamp: {
      // Arrow milliseconds → DuckDB microseconds, in doubles (exact below 2^53 µs, i.e. until the year 2255).
      const words = int64Words(data)
      const out = new Int32Array(n * 2)
      for (let i = 0; i < n; i++) {
        const k = 2 * (start + i)
        const us = (words[k + 1] * 4294967296 + (words[k] >>> 0)) * 1000
        const hi = Math.floor(us / 4294967296)
        out[2 * i] = us - hi * 4294967296
        out[2 * i + 1] = hi
      }
      copyValues(vector, out, 0, n * 2)
      return
    }
    case Type.Bool: {
      const bits = data.values as Uint8Array
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = BIT(bits, data.offset + start + i)
      copyValues(vector, out, 0, n)
      return
    }
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array
      const bytes = data.values as Uint8Array
      for (let i = 0; i < n; i++) {
        const row = start + i
        if (bitmap && BIT(bitmap, data.offset + row) === 0) continue
        duckdb.vector_assign_string_element_len(vector, i, bytes.subarray(offsets[row], offsets[row + 1]))
      }
      return
    }
    case Type.Dictionary: {
      // Text as codes into a dictionary too big (or not shared by all batches) to load as codes: value by value.
      const codes = data.values as Int32Array
      const dictionary = data.dictionary!
      for (let i = 0; i < n; i++) {
        const row = start + i
        if (bitmap && BIT(bitmap, data.offset + row) === 0) continue
        duckdb.vector_assign_string_element(vector, i, dictionary.get(codes[row]) as string)
      }
      return
    }
    default:
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Arrow's types print their names (Utf8, Int32…)
      throw new Error(`runlog cannot load Arrow type ${String(data.type)} into DuckDB`)
  }
}

export function writeCodeSlice(vector: duckdb.Vector, col: CodeColumn, start: number, n: number): void {
  writeValidity(vector, col.validity, start, n)
  copyValues(vector, col.codes, start, n)
}
