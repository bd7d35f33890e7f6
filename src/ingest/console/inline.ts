import {TrainerParser} from '../../readers/trainer/trainer-parser.js'
import {RawConsoleLines} from '../../readers/wandb/raw-console-lines.js'
import {type ConsoleParsing, type ParsedTrainer, handOver, parsedFromEvents} from './types.js'

/** The console lines of raw output records, into a trainer parser (markers searched before any line is decoded). */
export function consoleParser(parser: TrainerParser): RawConsoleLines {
  return new RawConsoleLines({
    line: (latin1, bytes, start, end) => parser.pushBytes(latin1, bytes, start, end),
    text: (line) => parser.push(line),
    cut: (limit, skipped) => parser.lineCut(limit, skipped, "the run's console"),
  })
}

export function inlineConsoleParsing(): ConsoleParsing {
  const parser = new TrainerParser({origin: 'wandb_console'})
  const lines = consoleParser(parser)
  let ended = false
  const end = () => {
    if (!ended) lines.flush()
    ended = true
  }
  return {
    pushRecord: (body) => lines.push(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 0, body.byteLength),
    end,
    async finish(onTable) {
      end()
      return handOver(parsedFromEvents(parser.finish()), onTable)
    },
  }
}

/** Trainer tables from console lines already assembled (a followed run keeps its lines, parsed per snapshot). */
export function parsedFromLines(lines: readonly string[]): ParsedTrainer {
  const parser = new TrainerParser({origin: 'wandb_console'})
  for (const line of lines) parser.push(line)
  return parsedFromEvents(parser.finish())
}
