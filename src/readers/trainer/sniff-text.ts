import {open} from 'node:fs/promises'
import {InputError} from '../../errors.js'

/** Bytes looked at to tell a binary file from a text log. */
const SNIFF_BYTES = 8192

/** Throws an InputError naming `path` when its first bytes are a `.wandb` file's or a binary file's, not text. */
export async function sniffText(path: string, size: number): Promise<void> {
  let head: Buffer
  try {
    const fh = await open(path, 'r')
    try {
      head = Buffer.alloc(Math.min(SNIFF_BYTES, size))
      const {bytesRead} = await fh.read(head, 0, head.length, 0)
      head = head.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(path, `cannot read (${code ?? String(error)})`)
  }
  if (head.length >= 3 && head[0] === 0x3a && head[1] === 0x57 && head[2] === 0x26) {
    throw new InputError(
      path,
      'is a wandb run file (.wandb), not a stdout log: read the run directory instead of passing it as --stdout',
    )
  }
  let control = 0
  for (let i = 0; i < head.length; i++) {
    const b = head[i]
    if (b === 0) throw new InputError(path, 'is a binary file, not a text log (it contains NUL bytes)')
    if (b < 8 || (b > 13 && b < 27 && b !== 27)) control++
  }
  if (head.length > 0 && control / head.length > 0.1) throw new InputError(path, 'is a binary file, not a text log')
}
