import {Analysis, type RunInput} from '../metrics/analysis.js'
import {ProgressBar} from '../render/progress.js'

/** Opens an analysis of several runs with a progress bar on stderr (shown only on a terminal, never with --json). */
export async function openAnalysisWithProgress(inputs: RunInput[], opts: {dbFile?: string; json: boolean}): Promise<Analysis> {
  const progress = new ProgressBar('reading runs', {json: opts.json})
  try {
    return await Analysis.open(inputs, {dbFile: opts.dbFile, onProgress: (done, total) => progress.update(done, total)})
  } finally {
    progress.done()
  }
}
