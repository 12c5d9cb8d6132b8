// Public surface of core/store: the Store contract and its two implementations.
export * from './types.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { SCHEMA_VERSION } from './sqlite-schema.js';
