// Public surface of core/spec: the zod schemas and z.infer types of every kind Weft
// reads (Argo's and its own), parsing with source positions, semantic validation,
// and the DAG `depends` expression language. Other folders import only this file.
export * from './errors.js';
export * from './schema/primitives.js';
export * from './schema/k8s.js';
export * from './schema/artifacts.js';
export * from './schema/io.js';
export * from './schema/template-kinds.js';
export * from './schema/template.js';
export * from './schema/workflow-spec.js';
export * from './schema/status.js';
export * from './schema/workflow.js';
export * from './schema/weft.js';
export * from './path.js';
export * from './parse.js';
export * from './decode.js';
export * from './depends.js';
export * from './validate/index.js';
