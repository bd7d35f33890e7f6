#!/usr/bin/env node
// A plain `ls`, `history` or `summarize` command line runs without loading oclif (dist/cli/fast-path.js, parsed from
// oclif.manifest.json); everything else, and any setting oclif itself reads, goes through oclif.
const {runFastUnlessOclif} = await import('../dist/cli/fast-path.js')
if (!(await runFastUnlessOclif(process.argv.slice(2), new URL('..', import.meta.url), process.env))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
