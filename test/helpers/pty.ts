import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ROOT} from './fixtures.js'

export interface TerminalResult {
  status: number | null
  /** What the terminal showed on stdout, `\r\n` made `\n`, colour codes kept. */
  screen: string
  stderr: string
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/**
 * Runs `runlog` with stdout on a pseudo-terminal `columns` wide (util-linux `script`, spawned asynchronously): the
 * CLI sees a TTY and its width as in a user's window. stderr goes to a file, so the screen holds stdout only.
 */
export function runlogInTerminal(
  args: string[],
  opts: {columns: number; cwd?: string; env?: Record<string, string>; stderrOnScreen?: boolean},
): Promise<TerminalResult> {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-pty-'))
  const errFile = join(dir, 'stderr')
  // stderrOnScreen: stderr goes to the terminal too (as in a user's window), and `stderr` is empty.
  const redirect = opts.stderrOnScreen ? '' : ` 2>${quote(errFile)}`
  const command = [
    `stty cols ${opts.columns} rows 50`,
    `exec ${[process.execPath, join(ROOT, 'bin', 'run.js'), ...args].map(quote).join(' ')}${redirect}`,
  ].join('; ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: opts.cwd ?? ROOT,
      env: {...process.env, ...opts.env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.on('error', reject)
    child.on('close', (status) => {
      const stderr = opts.stderrOnScreen ? '' : readFileSync(errFile, 'utf8')
      rmSync(dir, {recursive: true, force: true})
      resolve({status, screen: Buffer.concat(out).toString('utf8').replace(/\r\n/g, '\n'), stderr})
    })
  })
}
