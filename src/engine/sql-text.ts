/** A SQL identifier, quoted: `my "t"` → `"my ""t"""`. */
export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`

/** A SQL string literal: `it's` → `'it''s'`. */
export const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`
