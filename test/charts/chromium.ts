/**
 * A minimal headless-Chromium driver over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
 * fd 3, replies on fd 4, NUL-separated JSON), with the network off. No dependency beyond Node.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Readable, Writable} from 'node:stream'

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export function findChromium(): string | null {
  const fromEnv = process.env.RUNLOG_CHROMIUM
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  // Network off: every request goes to a proxy on a port nothing listens on, loopback included.
  '--proxy-server=127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-sync',
  '--disable-extensions',
  '--mute-audio',
  '--remote-debugging-pipe',
]

interface Message {
  id?: number
  method?: string
  params?: Record<string, unknown>
  result?: Record<string, unknown>
  error?: {message: string}
  sessionId?: string
}

export interface PageEvent {
  method: string
  params: Record<string, unknown>
}

export class Chromium {
  private nextId = 1
  private pending = new Map<number, {resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void}>()
  private buffer = ''
  readonly events: PageEvent[] = []
  private stderr = ''

  private constructor(
    private readonly proc: ChildProcess,
    private readonly userDir: string,
  ) {
    const out = proc.stdio[4] as Readable
    out.setEncoding('utf8')
    out.on('data', (chunk: string) => {
      this.buffer += chunk
      let end: number
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const msg = JSON.parse(this.buffer.slice(0, end)) as Message
        this.buffer = this.buffer.slice(end + 1)
        this.onMessage(msg)
      }
    })
    proc.stderr?.setEncoding('utf8')
    proc.stderr?.on('data', (d: string) => {
      this.stderr += d
    })
    proc.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited\n${this.stderr.slice(-2000)}`))
      this.pending.clear()
    })
  }

  static launch(executable: string): Chromium {
    const userDir = mkdtempSync(path.join(tmpdir(), 'runlog-chromium-'))
    const proc = spawn(executable, [...CHROMIUM_FLAGS, `--user-data-dir=${userDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    })
    return new Chromium(proc, userDir)
  }

  private onMessage(msg: Message): void {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.error) p.reject(new Error(msg.error.message))
      else p.resolve(msg.result ?? {})
    } else if (msg.method) {
      this.events.push({method: msg.method, params: msg.params ?? {}})
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++
    const payload = JSON.stringify({id, method, params, ...(sessionId ? {sessionId} : {})})
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject})
      ;(this.proc.stdio[3] as Writable).write(`${payload}\0`)
    })
  }

  /** A new tab with console, log, network and page events enabled. */
  async newPage(): Promise<Page> {
    const {targetId} = (await this.send('Target.createTarget', {url: 'about:blank'})) as {targetId: string}
    const {sessionId} = (await this.send('Target.attachToTarget', {targetId, flatten: true})) as {sessionId: string}
    const page = new Page(this, sessionId)
    for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await page.send(`${domain}.enable`)
    return page
  }

  private exited(ms: number): Promise<boolean> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      this.proc.once('exit', () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  }

  /** Closes the browser (killing this one process if it does not exit) and removes its profile. */
  async close(): Promise<void> {
    this.send('Browser.close').catch(() => undefined)
    if (!(await this.exited(5000))) {
      this.proc.kill('SIGKILL')
      await this.exited(5000)
    }
    rmSync(this.userDir, {recursive: true, force: true, maxRetries: 5, retryDelay: 200})
  }
}

export class Page {
  private readonly start: number

  constructor(
    private readonly browser: Chromium,
    readonly sessionId: string,
  ) {
    this.start = browser.events.length
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId)
  }

  /** Events seen since the page was opened (every tab's: tests open one at a time). */
  events(): PageEvent[] {
    return this.browser.events.slice(this.start)
  }

  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', {expression, returnByValue: true, awaitPromise: true})) as {
      result: {value: T}
      exceptionDetails?: {text: string}
    }
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.text}`)
    return r.result.value
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', {url})
  }

  /** Wait until `expression` is truthy, polling. */
  async waitFor(expression: string, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs
    for (;;) {
      if (await this.evaluate<boolean>(`Boolean(${expression})`)) return
      if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async screenshot(): Promise<Buffer> {
    const metrics = (await this.send('Page.getLayoutMetrics')) as {cssContentSize: {width: number; height: number}}
    const {width, height} = metrics.cssContentSize
    const r = (await this.send('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
      clip: {x: 0, y: 0, width: Math.ceil(width), height: Math.ceil(height), scale: 1},
    })) as {data: string}
    return Buffer.from(r.data, 'base64')
  }
}

/** Console errors and warnings, uncaught exceptions and error log entries among page events. */
export function consoleProblems(events: PageEvent[]): string[] {
  const out: string[] = []
  for (const e of events) {
    if (e.method === 'Runtime.consoleAPICalled') {
      const type = e.params.type as string
      if (type === 'error' || type === 'warning' || type === 'assert') {
        const args = (e.params.args as Array<{value?: unknown; description?: string}>).map(
          (a) => a.description ?? String(a.value),
        )
        out.push(`console.${type}: ${args.join(' ')}`)
      }
    } else if (e.method === 'Runtime.exceptionThrown') {
      const d = e.params.exceptionDetails as {text: string; exception?: {description?: string}}
      out.push(`exception: ${d.exception?.description ?? d.text}`)
    } else if (e.method === 'Log.entryAdded') {
      const entry = e.params.entry as {level: string; text: string; url?: string}
      if (entry.level === 'error' || entry.level === 'warning')
        out.push(`log.${entry.level}: ${entry.text} ${entry.url ?? ''}`)
    }
  }
  return out
}

/** URLs the page asked for beyond its own file (and data:/blob: URLs, which never leave the page). */
export function networkRequests(events: PageEvent[], pageUrl: string): string[] {
  return events
    .filter((e) => e.method === 'Network.requestWillBeSent')
    .map((e) => (e.params.request as {url: string}).url)
    .filter((u) => u !== pageUrl && !u.startsWith('data:') && !u.startsWith('blob:') && u !== 'about:blank')
}
