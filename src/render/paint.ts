/** Plain SGR codes, only on a terminal without NO_COLOR or --json: `colorFor` decides, callers pass it along. */
export interface Paint {
  enabled: boolean
  alert: (text: string) => string
  notice: (text: string) => string
  dim: (text: string) => string
}

const sgr = (on: boolean, open: number, close: number) => (text: string) =>
  on && text ? `\x1b[${open}m${text}\x1b[${close}m` : text

export function paint(enabled: boolean): Paint {
  return {enabled, alert: sgr(enabled, 31, 39), notice: sgr(enabled, 33, 39), dim: sgr(enabled, 2, 22)}
}

/** Whether to colour what goes to `stream`: a terminal, no NO_COLOR (any non-empty value), not --json. */
export function colorFor(stream: {isTTY?: boolean}, opts: {json?: boolean} = {}, env = process.env): boolean {
  return Boolean(stream.isTTY) && !opts.json && !env.NO_COLOR
}
