import {type RunReader, createRunReader, type RunData} from '../readers/run/read-run.js'
import {locateRun} from '../readers/run/locate-run.js'

/**
 * A live run: each `update()` reads only the bytes its `.wandb` gained since the last one (the container scan resumes
 * after the last complete record). The console lines read so far are kept so the trainer parser can run over them
 * again for every snapshot.
 */
export class RunFollower {
  private readonly reader: RunReader
  private readonly lines: string[] = []

  constructor(readonly path: string) {
    this.reader = createRunReader(locateRun(path), {
      tables: ['history', 'summary', 'media'],
      onConsoleLine: (line) => this.lines.push(line.text),
    })
  }

  /** Reads what the log gained; returns the number of new bytes. */
  update(): number {
    return this.reader.update()
  }

  snapshot(): {data: RunData; lines: readonly string[]} {
    return {data: this.reader.data(), lines: this.lines}
  }
}
