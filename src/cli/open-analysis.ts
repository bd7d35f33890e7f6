import {basename} from 'node:path'
import {Analysis, type RunInput} from '../analysis/analysis.js'
import {ProgressBar} from '../render/progress.js'

/** Opens an analysis of several runs with a progress bar on stderr (shown only on a terminal, never with --json). */
export async function openAnalysisWithProgress(
  inputs: RunInput[],
  opts: {dbFile?: string; json: boolean; skipUnreadable?: boolean},
): Promise<Analysis> {
  const progress = new ProgressBar('reading runs', {json: opts.json})
  try {
    const onProgress = (done: number, total: number) => progress.update(done, total)
    return await Analysis.open(inputs, {dbFile: opts.dbFile, onProgress, skipUnreadable: opts.skipUnreadable})
  } finally {
    progress.done()
  }
}

/** A progress bar of the log's bytes: reading is most of the time a big run takes. */
export async function openRunWithProgress(input: RunInput, opts: {dbFile?: string; json: boolean}): Promise<Analysis> {
  const progress = new ProgressBar(`reading ${basename(input.path)}`, {json: opts.json})
  const onProgress = (read: number, size: number) => progress.bytes(read, size, 'computing the figures…')
  try {
    return await Analysis.open([{...input, onProgress}], {dbFile: opts.dbFile})
  } finally {
    progress.done()
  }
}
