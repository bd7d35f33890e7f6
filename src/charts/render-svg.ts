/** Vega-Lite spec → Vega → SVG, headless (no canvas: text is measured by estimate, drawn by the viewer's fonts). */
import * as vega from 'vega'
import {compile, type TopLevelSpec} from 'vega-lite'
import {xmlDocument} from '../render/safe/xml.js'

export interface CompiledSpec {
  vega: vega.Spec
  /** Vega-Lite's warnings while compiling (an empty list for a well-formed spec). */
  warnings: string[]
}

/** Compile a Vega-Lite spec, collecting warnings instead of printing them. */
export function compileSpec(spec: TopLevelSpec): CompiledSpec {
  const warnings: string[] = []
  let level = 2
  const logger = {
    level(l?: number) {
      if (l === undefined) return level
      level = l
      return logger
    },
    error(...args: readonly unknown[]) {
      throw new Error(args.map(String).join(' '))
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '))
      return logger
    },
    info() {
      return logger
    },
    debug() {
      return logger
    },
  }
  const out = compile(spec, {logger})
  return {vega: out.spec, warnings}
}

/** A loader that refuses every URL: specs carry their data inline and rendering never touches the network. */
const offlineLoader = {
  ...vega.loader(),
  load: async (uri: string) => {
    throw new Error(`runlog charts load no external resource (asked for ${uri})`)
  },
  sanitize: async (uri: string) => {
    throw new Error(`runlog charts load no external resource (asked for ${uri})`)
  },
} as unknown as vega.Loader

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const {vega: vgSpec} = compileSpec(spec)
  const view = new vega.View(vega.parse(vgSpec), {renderer: 'none', loader: offlineLoader, logLevel: vega.Warn})
  try {
    const svg = xmlDocument(await view.toSVG())
    return svg.startsWith('<?xml') ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`
  } finally {
    view.finalize()
  }
}
