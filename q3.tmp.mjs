import {DuckDBInstance} from '@duckdb/node-api'
const inst = await DuckDBInstance.create('/tmp/b.duckdb')
const c = await inst.connect()
await c.run('SET threads = 1')
await c.run("PRAGMA enable_profiling='json'")
await c.run("PRAGMA profiling_output='/tmp/prof.json'")
await c.runAndReadAll(process.argv[2])
await c.run("PRAGMA disable_profiling")
const p = JSON.parse((await import('node:fs')).readFileSync('/tmp/prof.json'))
const out = []
const walk = (n, d) => { out.push([n.operator_timing ?? 0, '  '.repeat(d) + (n.operator_type ?? n.query_name ?? '') + ' ' + (n.extra_info ? JSON.stringify(n.extra_info).slice(0, 140) : '') + ' rows=' + n.operator_cardinality]); for (const ch of n.children ?? []) walk(ch, d + 1) }
walk(p, 0)
console.log('total', p.latency)
for (const [t, s] of out) if (t > 0.005) console.log(t.toFixed(3), s)
