/** The chart drawn when a command found nothing to chart: a line of text, so the file still opens. */
import type {ChartSpec} from './common.js'

export function emptyChartSpec(message: string): ChartSpec {
  return {
    width: 420,
    height: 40,
    data: {values: [{message}]},
    mark: {type: 'text', fontSize: 13, color: '#555'},
    encoding: {text: {field: 'message'}},
    view: {stroke: null},
  }
}
