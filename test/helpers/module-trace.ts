import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {expect} from 'vitest'
import {runlog} from './cli.js'

/**
 * Runs `runlog ARGS` (spawned: what a process loads is what is tested) with a module resolve hook registered before
 * bin/run.js, and returns the URL of every module it imported, one per line, in order. The run must succeed.
 */
export async function modulesLoaded(args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-module-trace-'))
  const log = join(dir, 'modules.log')
  const hook = join(dir, 'resolve-hook.mjs')
  writeFileSync(
    hook,
    `import {appendFileSync} from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n')
  return resolved
}
`,
  )
  const register = join(dir, 'register-hook.mjs')
  writeFileSync(
    register,
    `import {register} from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`,
  )
  writeFileSync(log, '')
  const r = await runlog(args, {env: {NODE_OPTIONS: `--import=${pathToFileURL(register).href}`}})
  expect(r.status, r.stderr).toBe(0)
  return readFileSync(log, 'utf8')
}
