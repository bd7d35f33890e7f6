/** Worker thread: reads the overview of each run directory it is sent and posts it back (see parallel-overviews.ts). */
import {parentPort} from 'node:worker_threads'
import {readOverview} from './parallel-overviews.js'

parentPort!.on('message', (msg: {index: number; dir: string} | null) => {
  if (msg === null) parentPort!.close()
  else parentPort!.postMessage(readOverview(msg.index, msg.dir))
})
