// Run by generate-run.test.ts in a child process: reading a big run synchronously, the reader waiting for the parsing
// worker, would block the test worker's event loop. Prints, per SETTLE_ROWS and per console table, the parts and rows
// the worker handed back; the run is read once, its records going to one parsing worker per SETTLE_ROWS.
// Usage: node test/bench/console-parts.js RUN_DIR SETTLE_ROWS...
import {workerConsoleParsing} from '../../dist/ingest/console-parsing.js'
import {readRun} from '../../dist/readers/run/read-run.js'

const [runDir, ...settles] = process.argv.slice(2)
const parsings = settles.map((settleRows) => workerConsoleParsing({settleRows: Number(settleRows)}))
readRun(runDir, {tables: [], onOutputRecord: (body) => parsings.forEach((p) => p.pushRecord(body))})
const got = {}
for (const [i, parsing] of parsings.entries()) {
  const parts = (got[settles[i]] = {})
  await parsing.finish(async (name, table) => {
    parts[name] ??= {parts: 0, rows: 0}
    parts[name].parts++
    parts[name].rows += table.numRows
  })
}
process.stdout.write(JSON.stringify(got))
