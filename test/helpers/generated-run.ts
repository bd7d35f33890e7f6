import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {ROOT} from './fixtures.js'

/** What bench/generate-run.js's `generateRun` returns (its `expected` answers are also in `expectedFile`). */
export interface GeneratedRun {
  runDir: string
  wandbFile: string
  bytes: number
  steps: number
  records: number
  tables: number
  expectedFile: string
  trainLog: string | null
}

const SCRIPT = `const {generateRun} = await import(process.argv[2])
const runs = []
for (const options of JSON.parse(process.argv[1])) runs.push(await generateRun(options))
process.stdout.write(JSON.stringify(runs))`

/**
 * Calls bench/generate-run.js's `generateRun(options)` in a child process: it writes synchronously (seconds for a
 * big run), which in the test worker would keep vitest from hearing from the worker on a busy machine.
 */
export async function generateRun(options: Record<string, unknown>): Promise<GeneratedRun> {
  const [run] = await generateRuns([options])
  return run
}

/** Several runs, one after the other in one child process: one Node start and module load for all of them. */
export async function generateRuns(options: Array<Record<string, unknown>>): Promise<GeneratedRun[]> {
  const url = pathToFileURL(join(ROOT, 'bench', 'generate-run.js')).href
  const args = ['--input-type=module', '-e', SCRIPT, JSON.stringify(options), url]
  const {stdout} = await promisify(execFile)(process.execPath, args, {maxBuffer: 256 * 2 ** 20})
  return JSON.parse(stdout) as GeneratedRun[]
}
