import duckdb from '@duckdb/node-bindings'
import {type Data, Type, type Vector} from 'apache-arrow'
import {DICTIONARY_MIN_ROWS, DictionaryCodes} from '../arrow/dictionary-codes.js'
import {quoteText} from './sql-text.js'

type Latin1Buffer = Buffer & {latin1Slice(start: number, end: number): string}

/**
 * A text column streamed into DuckDB as small integer codes, numbered as values come (its whole table is not known
 * yet), into one column, and the values past the dictionary's room as text into another: handing DuckDB one string
 * per value is what made streaming text slow. `sql` gives the text back from both columns.
 */
export class StreamedTextCodes {
  private readonly dict = new DictionaryCodes()
  /** Set once the dictionary is full and many values went to text: the rest go to text without a look-up. */
  private textOnly = false
  private texts = 0
  /** The codes of the values of the last Arrow dictionary seen (-1: text; -2: not looked up yet). */
  private arrowDictionary: Vector | null = null
  private arrowCodes = new Int32Array(0)

  /** Writes rows `start`…`start + n` of `data` (Utf8 or dictionary-encoded Utf8) to the two vectors' rows 0…n. */
  write(codeVector: duckdb.Vector, textVector: duckdb.Vector, data: Data, start: number, n: number): void {
    const codes = new Int32Array(n)
    const bytes = (n + 7) >> 3
    // A row is valid in the code column or in the text column, or in neither (a null).
    const codeValid = new Uint8Array(bytes).fill(0xff)
    const textValid = new Uint8Array(bytes)
    let inText = 0
    let nulls = 0
    const bitmap = data.nullCount > 0 ? data.nullBitmap : null
    const isNull = (row: number) =>
      bitmap !== null && ((bitmap[(data.offset + row) >> 3] >> ((data.offset + row) & 7)) & 1) === 0
    const toText = (i: number) => {
      codeValid[i >> 3] &= ~(1 << (i & 7))
      textValid[i >> 3] |= 1 << (i & 7)
      inText++
    }
    if (data.typeId === Type.Dictionary) {
      const values = data.values as Int32Array
      const dictionary = data.dictionary!
      const lookUp = this.arrowLookUp(dictionary)
      for (let i = 0; i < n; i++) {
        const row = start + i
        if (isNull(row)) {
          codeValid[i >> 3] &= ~(1 << (i & 7))
          nulls++
          continue
        }
        const code = lookUp(values[row])
        if (code >= 0) codes[i] = code
        else {
          toText(i)
          duckdb.vector_assign_string_element(textVector, i, dictionary.get(values[row]) as string)
        }
      }
    } else {
      const offsets = data.valueOffsets as Int32Array
      const text = data.values as Uint8Array
      const raw = Buffer.from(text.buffer, text.byteOffset, text.byteLength) as Latin1Buffer
      // The previous value's bytes and code: a column often repeats a value row after row, and comparing its bytes
      // costs less than making a string of them to look it up.
      let lastFrom = -1
      let lastTo = -1
      let lastCode = -1
      for (let i = 0; i < n; i++) {
        const row = start + i
        if (isNull(row)) {
          codeValid[i >> 3] &= ~(1 << (i & 7))
          nulls++
          continue
        }
        const from = offsets[row]
        const to = offsets[row + 1]
        let code: number
        if (lastCode >= 0 && to - from === lastTo - lastFrom && sameBytes(text, from, lastFrom, to - from))
          code = lastCode
        else {
          // Latin-1 keys: one byte per character, no UTF-8 decoding per value (values are decoded once, in `sql`).
          code = this.textOnly ? -1 : this.dict.code(raw.latin1Slice(from, to))
          lastFrom = from
          lastTo = to
          lastCode = code
        }
        if (code >= 0) codes[i] = code
        else {
          toText(i)
          duckdb.vector_assign_string_element_len(textVector, i, text.subarray(from, to))
        }
      }
    }
    this.texts += inText
    if (this.texts >= DICTIONARY_MIN_ROWS) this.textOnly = true
    duckdb.copy_data_to_vector(codeVector, 0, codes.buffer, 0, codes.byteLength)
    if (nulls + inText > 0) setValidity(codeVector, codeValid)
    if (inText < n) setValidity(textVector, textValid)
  }

  /** The SQL expression of the text, from the code column `codeSql` and the text column `textSql`. */
  sql(codeSql: string, textSql: string): string {
    const values = this.dict.values.map((k) => quoteText(Buffer.from(k, 'latin1').toString('utf8')))
    const list = values.length === 0 ? '[]::VARCHAR[]' : `[${values.join(', ')}]::VARCHAR[]`
    return `coalesce((${list})[${codeSql} + 1], ${textSql})`
  }

  /** Codes of an Arrow dictionary's values, each looked up once per dictionary (batches usually share one). */
  private arrowLookUp(dictionary: Vector): (index: number) => number {
    if (dictionary !== this.arrowDictionary) {
      this.arrowDictionary = dictionary
      this.arrowCodes = new Int32Array(dictionary.length).fill(-2)
    }
    const known = this.arrowCodes
    return (index) => {
      let code = known[index]
      if (code === -2) {
        const value = Buffer.from(dictionary.get(index) as string, 'utf8').toString('latin1')
        code = this.textOnly ? -1 : this.dict.code(value)
        known[index] = code
      }
      return code
    }
  }
}

function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (bytes[a + k] !== bytes[b + k]) return false
  return true
}

function setValidity(vector: duckdb.Vector, bits: Uint8Array): void {
  // DuckDB reads validity in 64-bit words: the copy is padded to whole words.
  const out = new Uint8Array(Math.ceil(bits.length / 8) * 8)
  out.set(bits)
  duckdb.vector_ensure_validity_writable(vector)
  duckdb.copy_data_to_vector_validity(vector, 0, out.buffer, 0, out.byteLength)
}
