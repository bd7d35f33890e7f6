import {type ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'
import {ROOT} from './fixtures.js'

/**
 * A `runlog` process left running (`--follow`, a signal to send): its output so far, and waits for what it prints
 * that end when the output arrives or the process exits, never after a fixed time (a busy machine only makes them
 * slower; the test's own timeout bounds them).
 */
export class LiveRunlog {
  readonly child: ChildProcess
  stdout = ''
  stderr = ''
  /** The exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>
  private ended = false
  private readonly waiters = new Set<() => void>()

  constructor(args: string[], opts: {env?: Record<string, string>} = {}) {
    this.child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
      cwd: ROOT,
      env: {...process.env, ...opts.env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.child.stdout!.on('data', (d: Buffer) => this.changed(() => (this.stdout += d.toString())))
    this.child.stderr!.on('data', (d: Buffer) => this.changed(() => (this.stderr += d.toString())))
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        this.changed(() => (this.ended = true))
        resolve(code)
      })
    })
  }

  /** Resolves once `pred` holds for the output; rejects, naming `what`, if the process ends first. */
  until(pred: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) {
          this.waiters.delete(check)
          resolve()
        } else if (this.ended) {
          this.waiters.delete(check)
          reject(new Error(`runlog ended before ${what}; stdout: ${this.stdout.slice(-500)} stderr: ${this.stderr}`))
        }
      }
      this.waiters.add(check)
      check()
    })
  }

  /** Ends the process if it still runs (a test's `finally`). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill()
  }

  private changed(update: () => void): void {
    update()
    for (const check of [...this.waiters]) check()
  }
}
