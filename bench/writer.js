// The .wandb writer the benchmarks use: test/support/wandb-writer.ts is test support, so it does not ship in dist/;
// `npm run build:support` compiles it (with the reader constants it imports) into build/support/.
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
export const WRITER_JS = join(ROOT, 'build', 'support', 'test', 'support', 'wandb-writer.js')

/** The compiled writer module; a one-line error when it has not been built. */
export async function loadWriter() {
  if (!existsSync(WRITER_JS)) throw new Error('build/support is missing: run `npm run build:support` first')
  return import(pathToFileURL(WRITER_JS).href)
}
