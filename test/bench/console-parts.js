// Run by generate-run.test.ts in a child process: reading a big run synchronously, the reader waiting for the parsing
// worker, would block the test worker's event loop. Prints, per console table, the parts and rows the worker handed back.
// Usage: node test/bench/console-parts.js RUN_DIR SETTLE_ROWS
import {workerConsoleParsing} from '../../dist/ingest/console-parsing.js'
import {readRun} from '../../dist/readers/run/read-run.js'

const [runDir, settleRows] = process.argv.slice(2)
const parsing = workerConsoleParsing({settleRows: Number(settleRows)})
readRun(runDir, {tables: [], onOutputRecord: (body) => parsing.pushRecord(body)})
const got = {}
await parsing.finish(async (name, table) => {
  got[name] ??= {parts: 0, rows: 0}
  got[name].parts++
  got[name].rows += table.numRows
})
process.stdout.write(JSON.stringify(got))
