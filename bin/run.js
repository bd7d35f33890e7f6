#!/usr/bin/env node
// A plain `ls`, `history` or `summarize` command line runs without loading oclif (dist/cli/fast-path.js, parsed from
// oclif.manifest.json); everything else, and any setting oclif itself reads, goes through oclif.
const oclifEnv = Object.keys(process.env).some(
  (k) => k === 'DEBUG' || k.startsWith('OCLIF_') || /^RUNLOG_(CONTENT_TYPE|DEBUG|FORCE_OCLIF)$/.test(k),
)
delete process.env.RUNLOG_REDIRECTED // as oclif's Command does
const fast = !oclifEnv && (await import('../dist/cli/fast-path.js')).runFast
if (!fast || !(await fast(process.argv.slice(2), new URL('..', import.meta.url)))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
