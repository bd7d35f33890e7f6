/**
 * Waits for every one of `running` (statements running at once on their own connections), then throws the first
 * failure, if any: none may still be running when the caller goes on to close the database.
 */
export async function everySettled(running: Iterable<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(running)).find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
}
