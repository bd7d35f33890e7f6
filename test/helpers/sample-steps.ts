import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {GRPO_SAMPLE} from './fixtures.js'

/** The sample's stdout cut at its step banners: chunk i holds the text up to the start of step i + 1. */
export function stepsOfSampleLog(): string[] {
  const text = readFileSync(join(GRPO_SAMPLE, 'train.log'), 'utf8')
  const starts: number[] = []
  const re = /^={60}\n📍 Step \d+\//gm
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index)
  return starts.map((s, i) => text.slice(i === 0 ? 0 : s, starts[i + 1] ?? text.length))
}
