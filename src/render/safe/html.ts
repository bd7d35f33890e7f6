import {showControls} from './controls.js'

const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

/** Text from input for HTML content and attribute values: controls shown, `& < > " '` escaped. */
export function htmlText(s: string): string {
  return showControls(s).replace(/[&<>"']/g, (c) => ENTITIES[c])
}
