/**
 * What launchers and loggers put in front of a program's own output: Ray's `(TaskRunner pid=12, ip=10.0.0.1) `,
 * torchrun's `[rank0]: `, and a timestamp with an optional log level (`2025-04-19 20:05:50,607 INFO `,
 * `[2025-08-04 12:26:42,932][file.py][INFO] - `, `03:30:05 INFO `). ANSI colour codes are already gone.
 */
const PREFIX = new RegExp(
  [
    String.raw`\((?:[\w.:<>-]+ )?pid=\d+(?:, ip=[\d.]+)?\) ?`,
    String.raw`\[rank\d+\]:? ?`,
    String.raw`\[\d{4}-\d\d-\d\d[ T][\d:.,]+\](?:\[[^\]]*\])*(?: - )? ?`,
    String.raw`\d{4}-\d\d-\d\d[ T][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\s+` +
      String.raw`(?:(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\b:?\s*)?`,
    String.raw`\d\d:\d\d:\d\d(?:[.,]\d+)? +(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\b:? *`,
  ]
    .map((p) => `(?:${p})`)
    .join('|'),
  'y',
)

/** `line` without the launcher and logger prefixes in front of it (any number of them, in any order). */
export function stripPrefixes(line: string): string {
  let at = 0
  for (;;) {
    PREFIX.lastIndex = at
    if (!PREFIX.test(line) || PREFIX.lastIndex === at) break
    at = PREFIX.lastIndex
  }
  return at === 0 ? line : line.slice(at)
}

/** Ray's `(WorkerDict pid=12, ip=…)` or torchrun's `[rank3]:` at the start of a line. */
const LAUNCHER = /^(?:\((?:[\w.:<>-]+ )?pid=\d+(?:, ip=[\d.]+)?\)|\[rank\d+\]:?)/

/**
 * Which process printed a line, when a launcher says so (`(WorkerDict pid=12)`, `[rank3]:`), else ''. Workers' lines
 * interleave: a traceback is followed line by line within its own process's lines.
 */
export function launcherOf(line: string): string {
  const c = line.charCodeAt(0)
  if (c !== 40 /* ( */ && c !== 91 /* [ */) return ''
  const m = LAUNCHER.exec(line)
  return m === null ? '' : m[0]
}
