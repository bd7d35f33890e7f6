/** Worker thread: parses console lines sent in batches, then replies with the trainer tables as Arrow IPC. */
import {parentPort} from 'node:worker_threads'
import {tableToIPC} from 'apache-arrow'
import {TrainerParser} from '../readers/trainer/trainer-parser.js'
import {type ParseWorkerReply, type ParseWorkerRequest, parsedFromEvents} from './console-parsing.js'

const parser = new TrainerParser({origin: 'wandb_console'})

parentPort!.on('message', (msg: ParseWorkerRequest) => {
  if ('lines' in msg) {
    for (const line of msg.lines) parser.push(line)
    return
  }
  let reply: ParseWorkerReply
  try {
    const parsed = parsedFromEvents(parser.finish(), msg.tableSamples)
    const ipc: Record<string, Uint8Array> = {}
    for (const [name, table] of Object.entries(parsed.tables)) ipc[name] = tableToIPC(table, 'stream')
    reply = {ipc, warnings: parsed.warnings, evidence: parsed.evidence}
    parentPort!.postMessage(reply, Object.values(ipc).map((u) => u.buffer as ArrayBuffer))
  } catch (error) {
    reply = {error: (error as Error).message}
    parentPort!.postMessage(reply)
  }
})
