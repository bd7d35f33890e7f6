// Writes oclif.manifest.json (every command's id, flags and args) from the compiled commands in dist/.
// With it, oclif loads only the command being run: without it, every invocation imported all seven commands and
// what they import (~0.4 s before a command's first line ran).
import {writeFileSync} from 'node:fs'
import {Plugin} from '@oclif/core'

const root = new URL('..', import.meta.url).pathname
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest))
