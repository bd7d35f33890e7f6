import {describe, expect, it} from 'vitest'
import {RunDatabase} from '../../src/engine/run-database.js'
import {quoteIdent, quoteLiteral, quoteText} from '../../src/engine/sql-text.js'

describe('SQL text', () => {
  it('quotes identifiers and literals so DuckDB reads them back exactly', async () => {
    expect(quoteIdent('my "t"')).toBe('"my ""t"""')
    expect(quoteLiteral("it's")).toBe("'it''s'")
    const db = await RunDatabase.open()
    try {
      const name = `a "b" 'c' 判决`
      await db.run(`CREATE TABLE ${quoteIdent(name)} AS SELECT ${quoteLiteral(name)} AS v`)
      expect(await db.query(`SELECT v FROM ${quoteIdent(name)}`)).toEqual([{v: name}])
    } finally {
      db.close()
    }
  })

  it('quotes text with NUL characters, which would end the statement where DuckDB reads it', async () => {
    const db = await RunDatabase.open()
    try {
      for (const text of ['a\0b', '\0', "x\0'y'\0", 'plain'])
        expect(await db.query(`SELECT ${quoteText(text)} AS v`)).toEqual([{v: text}])
    } finally {
      db.close()
    }
  })
})
