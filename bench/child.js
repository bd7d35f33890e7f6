#!/usr/bin/env node
// One measured piece of work, run in its own process so its peak RSS is its own:
//   node bench/child.js cli <runlog args…>     runs the CLI (bin/run.js) in this process
//   node bench/child.js scan <file.wandb>      scanRecords + dispatchRecord with a history visitor
// On exit writes {"maxRssKiB", "cpuUserMs", "cpuSystemMs", …} as JSON to the file named by $BENCH_RESULT.
import {writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const [kind, ...args] = process.argv.slice(2)
const extra = {}

process.on('exit', () => {
  const u = process.resourceUsage()
  if (process.env.BENCH_RESULT)
    writeFileSync(
      process.env.BENCH_RESULT,
      JSON.stringify({
        maxRssKiB: u.maxRSS,
        cpuUserMs: u.userCPUTime / 1000,
        cpuSystemMs: u.systemCPUTime / 1000,
        ...extra,
      }),
    )
})

if (kind === 'cli') {
  // bin/run.js reads process.argv like any CLI started from a shell.
  process.argv = [process.argv[0], join(ROOT, 'bin', 'run.js'), ...args]
  await import(pathToFileURL(join(ROOT, 'bin', 'run.js')).href)
} else if (kind === 'scan') {
  const {scanRecords} = await import(pathToFileURL(join(ROOT, 'dist', 'readers', 'wandb', 'log-container.js')).href)
  const {dispatchRecord} = await import(pathToFileURL(join(ROOT, 'dist', 'readers', 'wandb', 'record-decoder.js')).href)
  let records = 0
  let rows = 0
  let items = 0
  const visitor = {
    history(h) {
      rows++
      items += h.items.length
    },
  }
  const scan = scanRecords(args[0], (payload) => {
    records++
    dispatchRecord(payload, visitor)
  })
  Object.assign(extra, {records, rows, items, unreadableBytes: scan.damage.unreadableBytes})
} else {
  process.stderr.write('usage: node bench/child.js cli <args…> | scan <file.wandb>\n')
  process.exitCode = 2
}
