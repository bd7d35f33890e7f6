/** SVG → PNG with resvg (node-canvas is not needed). */
import {Resvg} from '@resvg/resvg-js'
import type {TopLevelSpec} from 'vega-lite'
import {renderSvg} from './render-svg.js'

/** The family text falls back to: Debian's fonts-dejavu-core (the `DejaVu Sans` in the chart config's font list). */
export const PNG_FONT_FAMILY = 'DejaVu Sans'

export interface PngOptions {
  /** Pixels per SVG unit; 2 gives a sharp picture on high-density screens. */
  scale?: number
}

export function svgToPng(svg: string, opts: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: {mode: 'zoom', value: opts.scale ?? 2},
    font: {
      loadSystemFonts: true,
      defaultFontFamily: PNG_FONT_FAMILY,
      sansSerifFamily: PNG_FONT_FAMILY,
    },
  })
  return resvg.render().asPng()
}

export async function renderPng(spec: TopLevelSpec, opts: PngOptions = {}): Promise<Buffer> {
  return svgToPng(await renderSvg(spec), opts)
}
