import {join} from 'node:path'
import {createRequire} from 'node:module'
import {readOptionalText} from '../input-file.js'

/** `yaml` is loaded only when a run has a config.yaml (it costs start-up time). */
const parseYaml = (text: string): unknown =>
  (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text)

/** What the `files/` folder of a run directory adds to the log: metadata, and fallbacks for what the log lacks. */
export interface RunFiles {
  /** `files/wandb-metadata.json`, parsed, or null. */
  metadata: Record<string, unknown> | null
  /** `files/config.yaml` as key → value (wandb's `{key: {value: …}}` unwrapped), or null. */
  config: Record<string, unknown> | null
  /** The wandb version named by `config.yaml` (`_wandb.cli_version`) or `requirements.txt` (`wandb==x`), or null. */
  wandbVersion: string | null
  /** Problems reading these files (never fatal). */
  warnings: string[]
}

/** `yaml: false` skips `config.yaml` when the log already gave its config and version: parsing it is costly. */
export function readRunFiles(dir: string | null, opts: {yaml: boolean} = {yaml: true}): RunFiles {
  const out: RunFiles = {metadata: null, config: null, wandbVersion: null, warnings: []}
  if (!dir) return out
  const files = join(dir, 'files')
  const meta = readOptionalText(join(files, 'wandb-metadata.json'), out.warnings)
  if (meta !== null && meta.trim() !== '') {
    try {
      out.metadata = JSON.parse(meta) as Record<string, unknown>
    } catch {
      out.warnings.push(`${join(files, 'wandb-metadata.json')}: not valid JSON, ignored`)
    }
  }
  const yamlText = opts.yaml ? readOptionalText(join(files, 'config.yaml'), out.warnings) : null
  if (yamlText !== null && yamlText.trim() !== '') {
    try {
      const doc = parseYaml(yamlText) as Record<string, unknown> | null
      if (doc && typeof doc === 'object') {
        out.config = {}
        for (const [k, v] of Object.entries(doc)) {
          out.config[k] = v && typeof v === 'object' && 'value' in v ? v.value : v
        }
        const wb = out.config._wandb as {cli_version?: unknown} | undefined
        if (wb && typeof wb.cli_version === 'string') out.wandbVersion = wb.cli_version
      }
    } catch {
      out.warnings.push(`${join(files, 'config.yaml')}: not valid YAML, ignored`)
    }
  }
  if (!out.wandbVersion) {
    const req = readOptionalText(join(files, 'requirements.txt'), out.warnings)
    const m = req ? /^wandb==([^\s;]+)/m.exec(req) : null
    if (m) out.wandbVersion = m[1]
  }
  return out
}
