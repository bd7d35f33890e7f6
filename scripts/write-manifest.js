// Writes oclif.manifest.json (every command's id, flags and args) from the compiled commands in dist/.
// With it, oclif loads only the command being run: without it, every invocation imported all seven commands and
// what they import (~0.4 s before a command's first line ran).
// Each option flag also gets `runlogValue` (string, integer with its bounds, or custom): the fast path in bin/run.js
// (src/cli/fast-argv.ts) parses a plain command line from the manifest alone, without loading oclif.
import {writeFileSync} from 'node:fs'
import {Flags, Plugin} from '@oclif/core'

const root = new URL('..', import.meta.url).pathname
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()

const integerParse = Flags.integer().parse
const stringParse = String(Flags.string().parse)

/** How oclif turns the flag's text into its value: what the manifest alone does not say. */
function valueKind(flag) {
  if (flag.parse === integerParse) return {kind: 'integer', min: flag.min, max: flag.max}
  if (String(flag.parse) === stringParse) return {kind: 'string'}
  return {kind: 'custom'}
}

for (const [id, cached] of Object.entries(plugin.manifest.commands)) {
  const command = await plugin.findCommand(id, {must: true})
  for (const [name, flag] of Object.entries(cached.flags)) {
    const defined = command.flags?.[name]
    if (flag.type === 'option' && defined) flag.runlogValue = valueKind(defined)
  }
}
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest))
