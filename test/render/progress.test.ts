import {describe, expect, it} from 'vitest'
import {ProgressBar} from '../../src/render/progress.js'

/** A terminal that keeps what is written, and a clock the test moves. */
function terminal(isTTY = true) {
  const out: string[] = []
  let t = 0
  return {stream: {isTTY, write: (s: string) => out.push(s)}, clock: () => t, tick: (ms: number) => (t += ms), out}
}

describe('ProgressBar', () => {
  it('draws nothing in the first second, then the bytes read, at most every 100 ms, and the work that follows', () => {
    const term = terminal()
    const bar = new ProgressBar('reading run-x.wandb', term)
    bar.bytes(1e6, 1006e6, 'now the figures')
    expect(term.out).toEqual([])
    term.tick(1500)
    bar.bytes(503e6, 1006e6, 'now the figures')
    bar.bytes(504e6, 1006e6, 'now the figures')
    term.tick(150)
    bar.bytes(1006e6, 1006e6, 'now the figures')
    bar.done()
    expect(term.out).toEqual([
      `\rreading run-x.wandb [${'█'.repeat(15)}${' '.repeat(15)}] 503/1006 MB\x1b[K`,
      `\rreading run-x.wandb [${'█'.repeat(30)}] 1006/1006 MB, now the figures\x1b[K`,
      '\r\x1b[K',
    ])
  })

  it('shows the escapes in a run file name as text (its own \\r and erase-line codes are the only controls)', () => {
    const term = terminal()
    const bar = new ProgressBar('reading run\x1b[2J\x9b.wandb', term)
    term.tick(2000)
    bar.update(1, 2)
    expect(term.out).toEqual([`\rreading run␛[2J\\u009b.wandb [${'█'.repeat(15)}${' '.repeat(15)}] 1/2\x1b[K`])
  })

  it('counts runs, and stays silent when stderr is not a terminal or with --json', () => {
    const term = terminal()
    const bar = new ProgressBar('reading runs', term)
    term.tick(2000)
    bar.update(3, 12)
    expect(term.out).toEqual([`\rreading runs [${'█'.repeat(8)}${' '.repeat(22)}] 3/12\x1b[K`])
    for (const [isTTY, json] of [
      [false, false],
      [true, true],
    ]) {
      const quiet = terminal(isTTY)
      const b = new ProgressBar('reading runs', {...quiet, json})
      quiet.tick(2000)
      b.update(3, 12)
      b.bytes(5e6, 10e6, 'then')
      b.done()
      expect(quiet.out).toEqual([])
    }
  })
})

describe('ProgressBar in a narrow window', () => {
  it('keeps the line within the window, so erasing it leaves nothing behind', () => {
    const out: string[] = []
    let t = 0
    const stream = {isTTY: true, columns: 60, write: (s: string) => out.push(s)}
    const bar = new ProgressBar('reading run-20260609_214644-lec97vx5.wandb', {stream, clock: () => t})
    t = 2000
    bar.bytes(133e6, 133e6, 'computing the figures…')
    bar.done()
    const drawn = out[0].replace(/^\r/, '').replace(/\x1b\[K$/, '')
    expect(drawn.length).toBeLessThanOrEqual(59)
    expect(drawn).toContain('133/133 MB, computing the figures…')
    expect(drawn).toMatch(/^readi.*….*\[█{10}\]/)
    expect(out[1]).toBe('\r\x1b[K')
  })
})
