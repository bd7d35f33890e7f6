import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {ROOT} from './fixtures.js'

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs the built `runlog` binary as a user would (a real process: real exit codes, real stdout). */
export function runlog(args: string[], opts: {cwd?: string; env?: Record<string, string>} = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: {...process.env, ...opts.env},
    maxBuffer: 256 * 1024 * 1024,
  })
  return {status: r.status, stdout: r.stdout, stderr: r.stderr}
}
