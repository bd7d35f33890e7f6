import {parseLogFile} from './parse-log-file.js'
import type {RunFollower} from './run-follower.js'
import type {WandbLogRead} from './wandb-log-read.js'

/** A live run's `.wandb` as far as the follower read it; its spooled console is parsed as a trainer log is. */
export function readFollowedLog(follower: RunFollower): WandbLogRead {
  const {data, consoleFile} = follower.snapshot()
  const parse: WandbLogRead['parse'] = async (onTable) => {
    const opts = {origin: 'wandb_console', sniff: false}
    return (await parseLogFile(consoleFile, onTable, opts)).outcome
  }
  return {data, parse, tableReader: null, stopWorker: () => {}}
}
