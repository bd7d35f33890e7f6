// Copies the non-TypeScript assets (SQL files) next to the compiled code in dist/.
import {cpSync, existsSync, readdirSync, statSync} from 'node:fs'
import {join, relative, dirname} from 'node:path'
import {mkdirSync} from 'node:fs'

const root = new URL('..', import.meta.url).pathname
const src = join(root, 'src')
const dist = join(root, 'dist')

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (/\.(sql|json)$/.test(name)) {
      const out = join(dist, relative(src, p))
      mkdirSync(dirname(out), {recursive: true})
      cpSync(p, out)
    }
  }
}
if (existsSync(src)) walk(src)
