import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {ROOT} from './fixtures.js'

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the built `runlog` binary as a user would (a real process: real exit codes, real stdout). Asynchronous, so the
 * test worker's event loop keeps answering vitest while the CLI runs. A test of a command's output, not of the
 * process, uses `runlogInProcess` (same result, no Node start): see docs/testing.md.
 */
export function runlog(
  args: string[],
  opts: {cwd?: string; env?: Record<string, string>; input?: string} = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: {...process.env, ...opts.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (status) =>
      resolve({status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}),
    )
    child.stdin.end(opts.input ?? '')
  })
}
