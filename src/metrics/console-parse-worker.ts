/** Worker thread: parses console records sent in batches of bytes, then replies with the trainer tables as Arrow IPC. */
import {parentPort} from 'node:worker_threads'
import {tableToIPC} from 'apache-arrow'
import {TrainerParser} from '../readers/trainer/trainer-parser.js'
import type {RawConsoleLines} from '../readers/wandb/raw-console-lines.js'
import {TRAINER_TABLE_EVENTS, type TrainerTableName, trainerTable} from '../readers/trainer/trainer-tables.js'
import {type ParseWorkerReply, type ParseWorkerRequest, consoleParser, evidenceCount} from './console-parsing.js'

// Let go after the last line (with them the parser's lookup maps, which hold on to every event row).
let parser: TrainerParser | null = new TrainerParser({origin: 'wandb_console'})
let lines: RawConsoleLines | null = consoleParser(parser)

parentPort!.on('message', (msg: ParseWorkerRequest) => {
  if ('records' in msg) {
    const buf = Buffer.from(msg.records, 0, msg.bytes)
    // Each record: its length as a uint32, then its bytes (checked as a message by the reading thread already).
    for (let pos = 0; pos < msg.bytes; ) {
      const len = buf.readUInt32LE(pos)
      lines!.push(buf, pos + 4, pos + 4 + len)
      pos += 4 + len
    }
    return
  }
  let reply: ParseWorkerReply
  try {
    lines!.flush()
    const events = parser!.finish()
    parser = null
    lines = null
    const evidence = evidenceCount(events)
    const warnings = [...events.warnings]
    // One table at a time: built, serialized, then its events let go (the peak memory of a big run is here).
    const ipc: Record<string, Uint8Array> = {}
    for (const [name, key] of Object.entries(TRAINER_TABLE_EVENTS)) {
      ipc[name] = tableToIPC(trainerTable(name as TrainerTableName, events[key]), 'stream')
      events[key].length = 0
    }
    reply = {ipc, warnings, evidence, lines: events.lines}
    parentPort!.postMessage(reply, Object.values(ipc).map((u) => u.buffer as ArrayBuffer))
  } catch (error) {
    reply = {error: (error as Error).message}
    parentPort!.postMessage(reply)
  }
})
