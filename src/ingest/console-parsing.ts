/** A run's console into trainer tables, in this thread or on a worker; the pieces live in `console/`. */
export * from './console/types.js'
export * from './console/inline.js'
export * from './console/parts.js'
export * from './console/worker-protocol.js'
export * from './console/worker-parsing.js'
