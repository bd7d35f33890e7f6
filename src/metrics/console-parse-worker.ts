/** Worker thread: parses console records sent in batches of bytes, then replies with the trainer tables as Arrow IPC. */
import {parentPort} from 'node:worker_threads'
import {tableToIPC} from 'apache-arrow'
import {TrainerParser} from '../readers/trainer/trainer-parser.js'
import {type ParseWorkerReply, type ParseWorkerRequest, consoleParser, parsedFromEvents} from './console-parsing.js'

const parser = new TrainerParser({origin: 'wandb_console'})
const lines = consoleParser(parser)

parentPort!.on('message', (msg: ParseWorkerRequest) => {
  if ('records' in msg) {
    const buf = Buffer.from(msg.records, 0, msg.bytes)
    // Each record: its length as a uint32, then its bytes (checked as a message by the reading thread already).
    for (let pos = 0; pos < msg.bytes; ) {
      const len = buf.readUInt32LE(pos)
      lines.push(buf, pos + 4, pos + 4 + len)
      pos += 4 + len
    }
    return
  }
  let reply: ParseWorkerReply
  try {
    lines.flush()
    const parsed = parsedFromEvents(parser.finish())
    const ipc: Record<string, Uint8Array> = {}
    for (const [name, table] of Object.entries(parsed.tables)) ipc[name] = tableToIPC(table, 'stream')
    reply = {ipc, warnings: parsed.warnings, evidence: parsed.evidence, lines: parsed.lines}
    parentPort!.postMessage(reply, Object.values(ipc).map((u) => u.buffer as ArrayBuffer))
  } catch (error) {
    reply = {error: (error as Error).message}
    parentPort!.postMessage(reply)
  }
})
