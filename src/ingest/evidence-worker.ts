/** Worker thread: reads runs into Arrow tables and sends them back as Arrow IPC (see parallel-evidence.ts). */
import {parentPort} from 'node:worker_threads'
import {tableToIPC} from 'apache-arrow'
import {InputError} from '../errors.js'
import {collectRunEvidence} from './collect-run-evidence.js'
import type {EvidenceMessage} from './parallel-evidence.js'

type Task = {index: number; path: string; stdout?: string}

parentPort!.on('message', (msg: Task | null) => void answer(msg))

/** Reads one run and posts its tables (or its one-line error); `null` ends the worker. */
async function answer(msg: Task | null): Promise<void> {
  if (msg === null) {
    parentPort!.close()
    return
  }
  try {
    const ev = await collectRunEvidence(msg.path, msg.stdout)
    // An empty table goes as null (`emptyEvidenceTable` makes it again).
    const ipc: Record<string, Array<Uint8Array | null>> = {}
    for (const [name, parts] of Object.entries(ev.tables))
      ipc[name] = parts.map((t) => (t.numRows === 0 ? null : tableToIPC(t, 'stream')))
    const {runId, info, warnings, damage, consoleLines} = ev
    const reply: EvidenceMessage = {index: msg.index, runId, info, warnings, damage, consoleLines, ipc}
    const buffers = Object.values(ipc).flatMap((parts) => parts.flatMap((u) => (u ? [u.buffer as ArrayBuffer] : [])))
    parentPort!.postMessage(reply, buffers)
  } catch (error) {
    const reply: EvidenceMessage = {
      index: msg.index,
      error:
        error instanceof InputError
          ? {file: error.file, problem: error.problem}
          : {file: msg.path, problem: String((error as Error)?.message ?? error).split('\n')[0]},
    }
    parentPort!.postMessage(reply)
  }
}
