import {type Hook, loadHelpClass} from '@oclif/core'
import levenshtein from 'fast-levenshtein'

/** The command nearest to `word` (edit distance), or null when none is near enough to be a likely typo. */
export function nearestCommand(word: string, commands: string[]): string | null {
  let best: {id: string; distance: number} | null = null
  for (const id of commands) {
    const distance = levenshtein.get(word, id)
    if (!best || distance < best.distance) best = {id, distance}
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 2)) ? best.id : null
}

/**
 * Without a terminal @oclif/plugin-not-found prints no suggestion, so it is printed here. oclif joins the arguments
 * into the id (`sumarize:x`): only its first word is the mistyped command.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  const [word, ...rest] = opts.id.split(':')
  const argv = [...rest, ...(opts.argv ?? [])]
  // `runlog help [COMMAND]`, as git and gh have it (oclif core only knows --help without its help plugin).
  if (word === 'help') {
    const Help = await loadHelpClass(opts.config)
    return new Help(opts.config).showHelp(argv)
  }
  const visible = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases])
  const suggestion = nearestCommand(word, [...visible, 'help'])
  if (suggestion && process.stdin.isTTY && process.stderr.isTTY) {
    const {default: notFound} = await import('@oclif/plugin-not-found')
    return notFound.call(this, {...opts, id: word, argv})
  }
  // One line on stderr, like runlog's other errors (oclif's error() would wrap it at 80 columns).
  const bin = opts.config.bin
  const hint = suggestion ? ` Did you mean \`${bin} ${suggestion}\`?` : ''
  process.stderr.write(`${bin}: \`${word}\` is not a ${bin} command.${hint} \`${bin} help\` lists them.\n`)
  this.exit(127)
}

export default hook
