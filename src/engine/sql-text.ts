/** A SQL identifier, quoted: `my "t"` → `"my ""t"""`. */
export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`

/** A SQL string literal: `it's` → `'it''s'`. */
export const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** A SQL string literal of any text: a NUL character would end the statement's text where DuckDB reads it. */
export const quoteText = (s: string): string =>
  s.includes('\0') ? `(${s.split('\0').map(quoteLiteral).join(' || chr(0) || ')})` : quoteLiteral(s)
