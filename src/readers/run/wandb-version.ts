/**
 * The wandb version that wrote a run: the header record's producer (`0.21.1+<sha>` → `0.21.1`), else the telemetry's
 * cli version, else what `files/config.yaml` or `files/requirements.txt` say; null when nothing says.
 * The header's `min_consumer` reads like a version but is not the writer's.
 */
export function wandbVersion(producer: string, telemetryCli: string, fromFiles: string | null): string | null {
  const p = producer.split('+')[0].trim()
  if (p) return p
  if (telemetryCli.trim()) return telemetryCli.trim()
  return fromFiles
}
