// The error classes moved to src/errors.ts; this re-export keeps older imports working.
export {InputError, describeError} from '../../errors.js'
