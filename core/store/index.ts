// Public surface of core/store.
export * from './types.js';
