// AssemblyScript: the trainer parser's marker gate as WebAssembly, for bench/console-native.js (measured, not shipped).
// Marks each line of text[0, len) (split on \n) that holds any marker: out[line] = 1.
// Markers: their bytes at `mk`, offsets at `mo` (n + 1 int32), sorted by first byte; `bucket` holds, per first byte,
// the first and past-the-last marker index (2 × 256 int32; equal when no marker starts with that byte).
export function classify(text: usize, len: i32, mk: usize, mo: usize, bucket: usize, out: usize): i32 {
  let line = 0
  let hit: u8 = 0
  for (let i = 0; i < len; i++) {
    const b = <i32>load<u8>(text + i)
    if (b == 10) {
      store<u8>(out + line, hit)
      line++
      hit = 0
      continue
    }
    if (hit != 0) continue
    const from = load<i32>(bucket + (b << 3))
    const to = load<i32>(bucket + (b << 3) + 4)
    for (let k = from; k < to; k++) {
      const s = load<i32>(mo + (k << 2))
      const m = load<i32>(mo + ((k + 1) << 2)) - s
      if (i + m > len) continue
      let j = 1
      while (j < m && load<u8>(mk + s + j) == load<u8>(text + i + j)) j++
      if (j == m) {
        hit = 1
        break
      }
    }
  }
  return line
}
