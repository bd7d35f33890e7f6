/**
 * A run's console into trainer tables, parsed in this thread or on a worker; the pieces live in `console/`: the types,
 * the inline parsing, a log file parsed in parts, the worker's protocol and the reading thread's side of the worker.
 */
export * from './console/types.js'
export * from './console/inline.js'
export * from './console/parts.js'
export * from './console/worker-protocol.js'
export * from './console/worker-parsing.js'
