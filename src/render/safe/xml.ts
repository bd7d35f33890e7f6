/**
 * Characters XML 1.0 does not allow anywhere in a document, not even as a character reference: C0 controls other
 * than tab, newline and carriage return, unpaired surrogates, U+FFFE and U+FFFF.
 */
const NOT_XML = new RegExp(
  [
    '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]',
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])',
    '(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
    // character references to the same C0 controls (decimal and hex)
    '&#(?:x0*(?:[0-8b-cB-Ce-fE-F]|1[0-9a-fA-F])|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));',
  ].join('|'),
  'g',
)

/** The last guard, so a strict parser (resvg, a browser) never refuses the file: a forbidden character → U+FFFD. */
export function xmlDocument(svg: string): string {
  NOT_XML.lastIndex = 0
  return NOT_XML.test(svg) ? svg.replace(NOT_XML, '\ufffd') : svg
}
