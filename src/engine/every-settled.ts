/** Throws the first failure only once all have settled: none may still run when the caller closes the database. */
export async function everySettled(running: Iterable<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(running)).find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
}
