import {spawn} from 'node:child_process'
import {appendFileSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {nearestCommand} from '../../src/hooks/command-not-found.js'
import {runCandidates} from '../../src/cli/default-run.js'
import {runlog} from '../helpers/cli.js'
import {runlogInProcess} from '../helpers/in-process-cli.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'runlog-h20-'))

describe('a mistyped command', () => {
  it('`runlog sumarize x` (no terminal) names the command meant, exit 127', async () => {
    const r = await runlogInProcess(['sumarize', 'x'])
    expect(r.status).toBe(127)
    expect(r.stderr.trim()).toBe(
      'runlog: `sumarize` is not a runlog command. Did you mean `runlog summarize`? `runlog help` lists them.',
    )
    expect(r.stdout).toBe('')
  })

  it('suggests nothing when no command is near', async () => {
    const r = await runlogInProcess(['frobnicate'])
    expect(r.status).toBe(127)
    expect(r.stderr).not.toContain('Did you mean')
    expect(nearestCommand('efficency', ['ls', 'efficiency', 'export'])).toBe('efficiency')
    expect(nearestCommand('comapre', ['compare', 'query'])).toBe('compare')
    expect(nearestCommand('xyz', ['compare', 'query'])).toBeNull()
  })
})

describe('runlog help', () => {
  it('lists the commands, and `help COMMAND` shows one (the message above points there)', async () => {
    const all = await runlogInProcess(['help'])
    expect(all.status).toBe(0)
    for (const c of ['ls', 'history', 'summarize', 'compare', 'efficiency', 'query', 'export', 'autocomplete'])
      expect(all.stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
    expect((await runlogInProcess(['help', 'compare'])).stdout).toContain('$ runlog compare RUN RUN [RUN...] [FLAGS]')
  })
})

/** Runs `script` in an interactive bash with `env` (asynchronously); its stdout. */
function interactiveBash(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-ic', script], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'ignore']})
    const out: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.on('error', reject)
    child.on('close', () => resolve(Buffer.concat(out).toString('utf8')))
  })
}

// Spawned: the plugin writes its cache under the HOME oclif saw when it loaded (a test's own folder here).
describe('shell completion, bash installed as the plugin says', () => {
  it('`autocomplete bash` prints the setup and the script; installed, it completes commands and flags', async () => {
    const home = tmp()
    const env = {HOME: home, XDG_CACHE_HOME: join(home, '.cache')}
    const r = await runlog(['autocomplete', 'bash'], {env})
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('runlog autocomplete script bash')
    const script = await runlog(['autocomplete', 'script', 'bash'], {env})
    expect(script.status).toBe(0)
    expect(script.stdout).toContain('RUNLOG_AC_BASH_SETUP_PATH')
    for (const shell of ['zsh', 'powershell']) expect((await runlog(['autocomplete', shell], {env})).status).toBe(0)
    // The documented step: printf "$(runlog autocomplete script bash)" >> ~/.bashrc
    appendFileSync(join(home, '.bashrc'), script.stdout)
    const out = await interactiveBash(
      [
        'COMP_WORDS=(runlog sum); COMP_CWORD=1; _runlog_autocomplete; echo "${COMPREPLY[@]}"',
        'COMP_WORDS=(runlog summarize --wid); COMP_CWORD=2; _runlog_autocomplete; echo "${COMPREPLY[@]}"',
      ].join('; '),
      env,
    )
    expect(out.trim().split('\n')).toEqual(['summarize', '--wide'])
  })
})

describe('no run given and none found', () => {
  it('says what to pass and names the nearest candidates', async () => {
    const dir = tmp()
    mkdirSync(join(dir, 'wandb', 'offline-run-20250101_000000-aaaa1111'), {recursive: true})
    writeFileSync(join(dir, 'wandb', 'offline-run-20250101_000000-aaaa1111', 'run-aaaa1111.wandb'), '')
    writeFileSync(join(dir, 'train.log'), 'x\n')
    mkdirSync(join(dir, 'exp2', 'wandb'), {recursive: true})
    expect(runCandidates(dir)).toEqual(['wandb/offline-run-20250101_000000-aaaa1111', 'train.log', 'exp2/wandb'])
    for (const command of ['summarize', 'efficiency']) {
      const r = await runlogInProcess([command], {cwd: dir})
      expect(r.status).toBe(1)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(
        `./wandb/latest-run: not found; pass a run directory, a .wandb file or a trainer log: \`runlog ${command} RUN\``,
      )
      expect(lines[0]).toContain('found here: wandb/offline-run-20250101_000000-aaaa1111, train.log, exp2/wandb')
    }
  })

  it('ls and summarize --all without ./wandb name the folders that hold runs', async () => {
    const dir = tmp()
    mkdirSync(join(dir, 'exp2', 'wandb'), {recursive: true})
    const ls = await runlogInProcess(['ls'], {cwd: dir})
    expect(ls.status).toBe(1)
    expect(ls.stderr.trim()).toBe(
      'runlog: ./wandb: not found; pass the folder that holds the runs: `runlog ls DIR` (found here: exp2/wandb)',
    )
    const all = await runlogInProcess(['summarize', '--all'], {cwd: dir})
    expect(all.stderr).toContain('`runlog summarize --all DIR` (found here: exp2/wandb)')
    const empty = await runlogInProcess(['summarize'], {cwd: tmp()})
    expect(empty.stderr).toContain('(nothing that looks like a run here)')
  })
})

describe('usage lines', () => {
  it('compare reads `runlog compare RUN RUN [RUN...]` and refuses a single run', async () => {
    const help = await runlogInProcess(['compare', '--help'])
    expect(help.stdout).toContain('$ runlog compare RUN RUN [RUN...] [FLAGS]')
    const one = await runlogInProcess(['compare', 'a'])
    expect(one.status).toBe(2)
    expect(one.stderr).toContain('compare needs two or more runs')
    expect((await runlogInProcess(['query', '--help'])).stdout).toContain('$ runlog query RUN [RUN...] SQL [FLAGS]')
  })
})
