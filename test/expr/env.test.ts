// Argo's expression environment: the flat replace map expanded into nested maps (the more
// specific key wins a conflict), the function library, and extra values merged over it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateExpr, expressionEnv, GoFunc } from '../../core/expr/index.js';

describe('expressionEnv', () => {
  it('expands dotted keys into nested maps', () => {
    const env = expressionEnv({ 'inputs.parameters.a': '1', 'inputs.parameters.b': '2', 'workflow.name': 'w' });
    assert.deepEqual(env.inputs, { parameters: { a: '1', b: '2' } });
    assert.deepEqual(env.workflow, { name: 'w' });
  });

  it('drops a key that is the parent of another (util/expand removeConflicts)', () => {
    const env = expressionEnv({ item: '{"a":"1"}', 'item.a': '1', 'workflow.creationTimestamp': 't', 'workflow.creationTimestamp.Y': '2024' });
    assert.deepEqual(env.item, { a: '1' });
    assert.deepEqual(env.workflow, { creationTimestamp: { Y: '2024' } });
  });

  it('provides asInt, asFloat, jsonpath, toJson and sprig', () => {
    const env = expressionEnv({});
    for (const name of ['asInt', 'asFloat', 'jsonpath', 'toJson']) assert.ok(env[name] instanceof GoFunc, name);
    assert.equal(evaluateExpr('sprig.upper("a")', env), 'A');
  });

  it('merges extra values over the expanded vars', () => {
    const env = expressionEnv({ item: '{"n": 1}', 'steps.a.outputs.result': 'x' }, { item: { n: 1 }, 'steps.b.outputs.result': null });
    assert.deepEqual(env.item, { n: 1 });
    assert.deepEqual(env.steps, { a: { outputs: { result: 'x' } }, b: { outputs: { result: null } } });
  });

  it('does not change maps the caller passed in extra', () => {
    const tasks = { a: { outputs: { result: 'x' } } };
    expressionEnv({}, { tasks, 'tasks.a.outputs.exitCode': '0' });
    assert.deepEqual(tasks, { a: { outputs: { result: 'x' } } });
  });
});
