// What template handling costs the engine per node: substituting a template with simple and
// {{=...}} tags, evaluating `when` conditions and expressions, and building Argo's
// expression environment from a realistic replace map (a 50-step workflow's outputs).
import { evaluateExpr, evaluateWhen, expressionEnv, substitute, substituteDeep, type Vars } from '../core/expr/index.js';
import type { BenchHarness } from './harness.js';

const STEPS = 50;

function replaceMap(): Vars {
  const vars: Vars = {
    'workflow.name': 'bench-wf',
    'workflow.namespace': 'default',
    'workflow.parameters.config': '{"employees": [{"name": "Baris", "age": 43}, {"name": "Mo", "age": 42}]}',
    'inputs.parameters.message': 'hello world',
    'inputs.parameters.count': '7',
    item: '3',
  };
  for (let i = 0; i < STEPS; i++) {
    vars[`steps.step-${i}.outputs.result`] = `result of step ${i}`;
    vars[`steps.step-${i}.outputs.parameters.out`] = String(i);
    vars[`steps.step-${i}.status`] = 'Succeeded';
  }
  return vars;
}

const TEMPLATE = {
  name: 'main',
  inputs: { parameters: [{ name: 'message', value: '{{workflow.parameters.config}}' }] },
  container: {
    image: 'alpine:3.23',
    command: ['sh', '-c'],
    args: [
      'echo {{inputs.parameters.message}} from {{workflow.name}} in {{workflow.namespace}}',
      'echo {{steps.step-10.outputs.result}} {{steps.step-49.outputs.parameters.out}}',
      "count={{=asInt(inputs.parameters.count) * 10}} first={{=jsonpath(workflow.parameters.config, '$.employees[0].name')}}",
    ],
    env: [{ name: 'ITEM', value: '{{item}}' }, { name: 'PLAIN', value: 'no tags at all' }],
  },
};

export default async function (h: BenchHarness): Promise<void> {
  const vars = replaceMap();

  await h.measure('substitute: 3 simple tags', () => substitute('echo {{inputs.parameters.message}} from {{workflow.name}} {{item}}', vars), { iterations: 20_000 });
  await h.measure('substitute: text without tags', () => substitute('echo hello world, nothing to replace here', vars), { iterations: 50_000 });
  await h.measure('substitute: one {{=...}} (builds the environment)', () => substitute('{{=asInt(inputs.parameters.count) * 10}}', vars), { iterations: 2_000 });
  await h.measure('substituteDeep: container template with 8 tags, 2 expressions', () => substituteDeep(TEMPLATE, vars), { iterations: 2_000 });

  await h.measure(`expressionEnv: ${Object.keys(vars).length} vars`, () => expressionEnv(vars), { iterations: 2_000 });
  const env = expressionEnv(vars);
  await h.measure('evaluateExpr: tasks/steps ternary', () => evaluateExpr("steps['step-3'].status == 'Succeeded' ? steps['step-3'].outputs.result : 'none'", env), { iterations: 20_000 });
  await h.measure('evaluateExpr: filter/map over 100 items', () => evaluateExpr('len(map(filter(1..100, # % 2 == 0), # * 2))', env), { iterations: 2_000 });
  await h.measure('evaluateExpr: jsonpath with a filter', () => evaluateExpr("jsonpath(workflow.parameters.config, '$.employees[?(@.age > 42)].name')", env), { iterations: 5_000 });

  await h.measure('evaluateWhen: heads == heads', () => evaluateWhen('heads == heads'), { iterations: 20_000 });
  await h.measure('evaluateWhen: conditionals-complex', () => evaluateWhen('( heads == heads && tails == tails ) || ( heads == tails && tails == tails )'), { iterations: 10_000 });
  await h.measure('evaluateWhen: regexp', () => evaluateWhen('heads =~ hea'), { iterations: 20_000 });

  const loops = 200;
  const start = performance.now();
  for (let i = 0; i < loops; i++) substituteDeep(TEMPLATE, { ...vars, item: String(i) }, { env: { item: i } });
  const perItem = (performance.now() - start) / loops;
  h.report('withItems expansion: one loop item (copy of vars + substituteDeep)', perItem, 'ms/op', `${loops} items`);
}
