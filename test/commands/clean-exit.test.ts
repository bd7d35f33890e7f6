import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runlogInProcess} from '../helpers/in-process-cli.js'
import {GRPO_RUN, ROOT} from '../helpers/fixtures.js'

const RUNLOG = join(ROOT, 'bin', 'run.js')

function exited(child: ReturnType<typeof spawn>): Promise<{code: number | null; signal: NodeJS.Signals | null}> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({code, signal})))
}

describe('clean exits', () => {
  let out: string
  let runDir: string
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'runlog-clean-exit-'))
    // Big enough (> 16 MB) that summarize parses its console on a worker, writing parts to a temporary folder;
    // generated in a child process, so this worker keeps answering the test runner meanwhile.
    const args = [join(ROOT, 'bench', 'generate-run.js'), '--size', '20MB', '--out', join(out, 'runs'), '--seed', '11']
    const gen = spawn(process.execPath, args, {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    gen.stdout.on('data', (d) => (stdout += d))
    gen.stderr.on('data', (d) => (stderr += d))
    const {code} = await exited(gen)
    expect(code, stderr).toBe(0)
    runDir = stdout.trim()
  })
  afterAll(() => {
    if (out) rmSync(out, {recursive: true, force: true})
  })

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during summarize removes every temporary file and exits ${code}`, async () => {
      const tmp = mkdtempSync(join(out, 'tmp-'))
      const child = spawn(process.execPath, [RUNLOG, 'summarize', runDir, '--json'], {
        cwd: ROOT,
        env: {...process.env, TMPDIR: tmp},
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      const done = exited(child)
      // mid-way: DuckDB's spill folder and the console worker's parts folder are there
      const midway = () => {
        const names = readdirSync(tmp)
        return names.some((n) => n.startsWith('runlog-duckdb-')) && names.some((n) => n.startsWith('runlog-console-'))
      }
      let finished = false
      void done.then(() => (finished = true))
      while (!midway() && !finished) await new Promise((r) => setTimeout(r, 20))
      expect(finished, 'summarize ended before it could be interrupted').toBe(false)
      child.kill(signal)
      const result = await done
      expect(result).toEqual({code, signal: null})
      expect(readdirSync(tmp)).toEqual([])
      expect(stderr).not.toMatch(/\bat |Error/)
    })
  }

  it('a closed pipe on stdout (runlog … | head -1) ends it silently with a non-zero exit', async () => {
    const child = spawn(
      process.execPath,
      [RUNLOG, 'query', GRPO_RUN, 'SELECT range FROM range(300000)', '--format', 'csv'],
      {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']},
    )
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const done = exited(child)
    child.stdout.once('data', () => child.stdout.destroy())
    const result = await done
    expect(result).toEqual({code: 141, signal: null})
    expect(stderr).toBe('')
  })

  it.skipIf(!existsSync('/dev/full'))(
    'a full disk on stdout (> /dev/full) is one line naming stdout, never a stack trace',
    async () => {
      const toFull = async (args: string[]) => {
        const full = openSync('/dev/full', 'w')
        const child = spawn(process.execPath, [RUNLOG, ...args], {cwd: ROOT, stdio: ['ignore', full, 'pipe']})
        closeSync(full)
        let stderr = ''
        child.stderr!.on('data', (d) => (stderr += d))
        return {args, result: await exited(child), stderr}
      }
      const cases = [
        ['summarize', GRPO_RUN],
        ['summarize', GRPO_RUN, '--json'],
        ['history', GRPO_RUN, '--format', 'jsonl'],
        ['ls', join(GRPO_RUN, '..')],
      ]
      for (const {args, result, stderr} of await Promise.all(cases.map(toFull))) {
        expect(result, args.join(' ')).toEqual({code: 1, signal: null})
        expect(stderr.replace(/^warning: .*\n/gm, '')).toBe(
          'runlog: stdout: cannot write (ENOSPC: no space left on device)\n',
        )
      }
      // an output file on a full disk: the line names it
      const chart = join(mkdtempSync(join(out, 'full-')), 'chart.svg')
      symlinkSync('/dev/full', chart)
      const r = await runlogInProcess(['summarize', GRPO_RUN, '--chart', chart])
      expect(r.status).toBe(1)
      expect(r.stderr).toBe(`runlog: ${chart}: cannot write (ENOSPC: no space left on device)\n`)
    },
  )
})
