/** Told how far reading a log has got: the bytes read so far and the log's size (for a progress bar). */
export type ReadProgress = (bytesRead: number, size: number) => void
