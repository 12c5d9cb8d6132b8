// Public surface of core/executors: the StepExecutor contract and its implementations.
export * from './types.js';
export * from './signal.js';
