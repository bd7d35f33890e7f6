// Bundles the compiled CLI in dist/ in place (esbuild, after tsc): each command, hook, the help class and each worker
// becomes one file, the code they share goes into dist/chunks/, and pure-JavaScript dependencies (apache-arrow,
// @bufbuild/protobuf, cli-table3, …) are bundled in. Node loads a few files instead of ~500: importing apache-arrow
// alone is ~100 ms of CPU as 154 ES modules and ~10 ms as one file. Dynamic imports stay lazy (their own chunks).
// The files tsc wrote that are not entry points stay in dist/ unchanged (scripts, benchmarks and tests import them).
import {readdirSync, statSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {build} from 'esbuild'

const root = new URL('..', import.meta.url).pathname
const dist = join(root, 'dist')

/** What Node or oclif loads by path: every command and hook, the help class, the worker threads' files. */
const ENTRY_DIRS = ['commands', 'hooks']
const ENTRY_FILES = [
  'cli/help.js',
  'cli/fast-path.js',
  'ingest/evidence-worker.js',
  'ingest/console-parse-worker.js',
  'runs/overview-worker.js',
]

/**
 * Left to Node: oclif (bin/run.js loads it: one copy), native addons (DuckDB, resvg), vega (loaded only for charts,
 * with files it finds next to itself) and yaml (required at run time by name).
 */
const EXTERNAL = ['@oclif/*', '@duckdb/*', '@resvg/*', 'vega', 'vega-*', 'yaml']

const jsFiles = (dir) =>
  readdirSync(join(dist, dir))
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dist, dir, f))
const entryPoints = [
  ...ENTRY_DIRS.flatMap(jsFiles),
  ...ENTRY_FILES.map((f) => join(dist, f)).filter((f) => statSync(f, {throwIfNoEntry: false})),
]

/**
 * Every output file is one folder below dist/ (dist/commands/ls.js, dist/chunks/…, dist/runs/overview-worker.js), so
 * a module's own `import.meta.url` (used to find its SQL files and worker files next to it) becomes its tsc path seen
 * from there.
 */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({filter: /\.js$/}, async (args) => {
      if (!args.path.startsWith(dist)) return undefined
      const text = await readFile(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      const own = `new URL(${JSON.stringify(`../${relative(dist, args.path)}`)}, import.meta.url).href`
      return {contents: text.replaceAll('import.meta.url', own), loader: 'js'}
    })
  },
}

await build({
  entryPoints,
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [ownUrl],
  // Bundled CommonJS packages (cli-table3 …) require Node's built-in modules.
  banner: {
    js: "import {createRequire as __runlogCreateRequire} from 'node:module';const require = __runlogCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
})
