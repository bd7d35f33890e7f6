import {scanRecords} from '../wandb/log-container.js'
import {dispatchRecord} from '../wandb/record-decoder.js'
import {numericValue} from './json-value.js'
import type {RunAccumulator} from './run-accumulator.js'

/** A second, cheap pass for the newest time inside the log (only for logs that changed in the last minutes). */
export function newestRecordTime(logFile: string, state: RunAccumulator): number | null {
  scanRecords(logFile, (payload) => {
    dispatchRecord(payload, {
      stats: (s) => state.seeTime(s.timestamp),
      output: (o) => state.seeTime(o.timestamp),
      history: (h) => {
        for (const it of h.items) if (it.key === '_timestamp') state.seeTime(numericValue(it.valueJson))
      },
    })
  })
  return state.newestMs()
}
