/** Text columns of at least this many rows are worth dictionary-encoding. */
export const DICTIONARY_MIN_ROWS = 4096
/** A text column with more distinct values than this stays plain text. */
export const DICTIONARY_MAX_VALUES = 256

/** Numbers the distinct strings of a column in order of first sight, up to DICTIONARY_MAX_VALUES of them. */
export class DictionaryCodes {
  private readonly index = new Map<string, number>()
  /** The distinct values, by code. */
  readonly values: string[] = []

  /** The code of `value`, or -1 when it would be one distinct value too many (the column then stays plain text). */
  code(value: string): number {
    let code = this.index.get(value)
    if (code === undefined) {
      code = this.values.length
      if (code >= DICTIONARY_MAX_VALUES) return -1
      this.index.set(value, code)
      this.values.push(value)
    }
    return code
  }
}
