/** Write a chart to a file whose extension picks the format: .svg, .png, .html or .vl.json (the Vega-Lite spec). */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {TopLevelSpec} from 'vega-lite'
import {InputError} from '../errors.js'
import {makeDirectory} from '../render/make-directory.js'
import {showControlsDeep} from '../render/safe/controls.js'
import {type HtmlReport, renderHtml} from './render-html.js'
import {svgToPng} from './render-png.js'
import {renderSvg} from './render-svg.js'

export type ChartFormat = 'svg' | 'png' | 'html' | 'vl.json'

export const CHART_EXTENSIONS = ['.svg', '.png', '.html', '.vl.json'] as const

/** The format a chart file name asks for; an unknown extension is the user's to fix, so it is an InputError. */
export function chartFormat(file: string): ChartFormat {
  const name = path.basename(file).toLowerCase()
  if (name.endsWith('.vl.json')) return 'vl.json'
  if (name.endsWith('.svg')) return 'svg'
  if (name.endsWith('.png')) return 'png'
  if (name.endsWith('.html')) return 'html'
  throw new InputError(
    file,
    `cannot tell the chart format from the file name; use one of ${CHART_EXTENSIONS.join(', ')}`,
  )
}

export async function writeChart(
  spec: TopLevelSpec,
  file: string,
  opts: {title: string; headline?: Array<[string, string]>; runs?: string[]; report?: HtmlReport},
): Promise<void> {
  const format = chartFormat(file)
  // Names and labels from the log are drawn as text: their control characters are shown, in every format.
  spec = showControlsDeep(spec)
  let data: string | Buffer
  switch (format) {
    case 'vl.json':
      data = `${JSON.stringify(spec, null, 2)}\n`
      break
    case 'svg':
      data = await renderSvg(spec)
      break
    case 'png':
      data = svgToPng(await renderSvg(spec))
      break
    case 'html':
      data = await renderHtml(spec, opts)
      break
  }
  try {
    makeDirectory(path.dirname(path.resolve(file)))
    await writeFile(file, data)
  } catch (error) {
    // Named, so a full disk is one line about this file (see RunlogCommand.catch).
    ;(error as NodeJS.ErrnoException).path ??= file
    throw error
  }
}
