import {showControls} from './controls.js'

/** Markdown text from input: controls shown, and HTML's `&`, `<`, `>` as entities so no tag or entity takes effect. */
export function markdownText(s: string): string {
  return showControls(s).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
}

/** A GitHub-flavoured Markdown table cell: as `markdownText`, and `|` escaped so it cannot split the cell. */
export function markdownCell(s: string): string {
  return markdownText(s).replace(/\|/g, '\\|')
}
