// Public surface of core/runtime: the run loop, submission, locks, memo caches, config.
export * from './runtime.js';
export * from './run-controller.js';
export * from './submit.js';
export * from './events.js';
export * from './locks.js';
export * from './values.js';
export * from './config.js';
export * from './compose.js';
