import {Worker} from 'node:worker_threads'
import * as settings from '../settings.js'

/** Each worker gets one task at a time (then `null` to stop) and answers each with one message. */
export async function runOnWorkers<T, R>(
  workerFile: string,
  tasks: T[],
  threads: number,
  onReply: (reply: R) => void,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({length: Math.min(threads, tasks.length)}, () => {
      const worker = new Worker(workerFile)
      return new Promise<void>((resolve, reject) => {
        const feed = () => worker.postMessage(next < tasks.length && !stop() ? tasks[next++] : null)
        worker.on('message', (reply: R) => {
          onReply(reply)
          feed()
        })
        worker.on('error', reject)
        worker.on('exit', () => resolve())
        feed()
      })
    }),
  )
}

export function threadCount(items: number, cores: number): number {
  return Math.min(settings.threads() ?? cores, items)
}

/** Whether `bytes` of input is worth starting workers for (`RUNLOG_PARALLEL_MIN_BYTES` overrides the threshold). */
export function worthParallel(bytes: number, defaultMinBytes: number): boolean {
  return bytes >= (settings.parallelMinBytes() ?? defaultMinBytes)
}

/** Whether one input is big enough for a reading thread and a parsing thread, and `RUNLOG_THREADS` allows two. */
export function worthPipeline(bytes: number, defaultMinBytes: number, cores: number): boolean {
  return threadCount(2, cores) >= 2 && worthParallel(bytes, defaultMinBytes)
}
