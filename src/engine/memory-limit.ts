// DuckDB's memory limit is a setting (src/settings.ts); these names stay for the engine's importers.
export {DEFAULT_DUCKDB_MEMORY as DEFAULT_MEMORY_LIMIT, duckdbMemory as duckdbMemoryLimit} from '../settings.js'
