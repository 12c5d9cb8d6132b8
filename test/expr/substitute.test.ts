// {{...}} and {{=...}} substitution (util/template in Argo): rows are named after the Argo
// doc or example they come from; expected values are those of the conformance kit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findTags, substitute, substituteDeep, type SubstituteOptions, type Vars } from '../../core/expr/index.js';
import { expectError, table } from './expr-fixtures.js';

const CONFIG = '{"employees": [{"name": "Baris", "age":43},{"name": "Mo", "age": 42}, {"name": "Jai", "age" :44}]}';
const WEATHER = '{"weekWeather": "eyJ0ZW1wcyI6IFszNCwgMjcsIDE1LCA1NywgNDZdfQo="}';

const VARS: Vars = {
  'inputs.parameters.message': 'hello world',
  'inputs.parameters.foo': '3',
  'inputs.parameters.should-print': 'true',
  'inputs.parameters.num': '5',
  'workflow.name': 'wf-abc',
  'workflow.parameters.config': CONFIG,
  'workflow.parameters.weather': WEATHER,
  'workflow.parameters.json': '[{"value": "true"}]',
  'steps.flip-coin.outputs.result': 'heads',
  'steps.fibonacci-helper.outputs.parameters.result': '8',
  'tasks.flip-coin.outputs.result': 'tails',
  'tasks.heads.outputs.result': 'it was heads',
  'tasks.tails.outputs.result': 'it was tails',
  'item': '3',
};

interface Case {
  text: string;
  opts?: SubstituteOptions;
  vars?: Vars;
}

describe('simple tags', () => {
  table<Case, string>([
    { name: 'variables.md: {{inputs.parameters.message}}', input: { text: 'echo {{inputs.parameters.message}}' }, want: 'echo hello world' },
    { name: 'variables.md: white-space inside the brackets is trimmed', input: { text: '{{ inputs.parameters.message }}' }, want: 'hello world' },
    { name: 'conditionals.md: hyphenated step names in simple tags', input: { text: '{{steps.flip-coin.outputs.result}} == heads' }, want: 'heads == heads' },
    { name: 'several tags and plain text', input: { text: '{{workflow.name}}/{{item}}/{{workflow.name}}' }, want: 'wf-abc/3/wf-abc' },
    { name: 'values are inserted as they are, never re-scanned', input: { text: '{{x}}', vars: { x: '{{y}}', y: 'no' } }, want: '{{y}}' },
    { name: 'allowUnresolved keeps unknown tags verbatim (Argo global pass)', input: { text: 'a {{ steps.x.outputs.result }} b', opts: { allowUnresolved: true } }, want: 'a {{ steps.x.outputs.result }} b' },
    { name: 'text without {{ is returned unchanged', input: { text: 'plain } text }}' }, want: 'plain } text }}' },
    { name: 'nested tag: the inner tag is resolved, then the rebuilt outer one', input: { text: '{{steps.{{inputs.parameters.step}}.outputs.result}}', vars: { 'inputs.parameters.step': 'flip-coin', 'steps.flip-coin.outputs.result': 'heads' } }, want: 'heads' },
    { name: 'nested tag whose outer tag stays unknown is kept with allowUnresolved', input: { text: '{{steps.{{inputs.parameters.step}}.outputs.result}}', vars: { 'inputs.parameters.step': 'b' }, opts: { allowUnresolved: true } }, want: '{{steps.b.outputs.result}}' },
  ], ({ text, opts, vars }, want) => assert.equal(substitute(text, vars ?? VARS, opts), want));

  it('an unknown tag is WEFT_E_UNRESOLVED naming the tag and the field path', () => {
    const err = expectError(() => substitute('{{inputs.parameters.nope}}', VARS, { path: 'spec.templates[1].container.args[0]' }), 'WEFT_E_UNRESOLVED', /\{\{inputs\.parameters\.nope\}\}/);
    assert.equal(err.path, 'spec.templates[1].container.args[0]');
  });

  it('an unclosed {{ is an error, as fasttemplate reports it', () => {
    expectError(() => substitute('echo {{inputs.parameters.message', VARS), 'WEFT_E_EXPR_UNCLOSED_TAG');
    expectError(() => substitute('echo {{inputs.parameters.message', VARS, { allowUnresolved: true }), 'WEFT_E_EXPR_UNCLOSED_TAG');
  });

  it('prototype names are not variables', () => {
    expectError(() => substitute('{{constructor}}', {}), 'WEFT_E_UNRESOLVED');
    assert.equal(substitute('{{toString}}', {}, { allowUnresolved: true }), '{{toString}}');
  });
});

describe('expression tags', () => {
  table<Case, string>([
    { name: 'expression-tag-template-workflow.yaml: asInt(inputs.parameters.foo) * 10', input: { text: 'hello {{=asInt(inputs.parameters.foo) * 10}}' }, want: 'hello 30' },
    { name: 'expression-tag-template-workflow.yaml: withParam toJson(filter([1, 3], {# > 1}))', input: { text: '{{=toJson(filter([1, 3], {# > 1}))}}' }, want: '[3]' },
    { name: 'expression-tag-template-workflow.yaml: {{=item}}', input: { text: '{{=item}}' }, want: '3' },
    { name: 'expression-destructure-json-complex.yaml: filter on name', input: { text: `{{=jsonpath(workflow.parameters.config, '$.employees[?(@.name=="Baris")].age')}}` }, want: '[43]' },
    { name: 'expression-destructure-json-complex.yaml: filter with &&', input: { text: "{{=jsonpath(workflow.parameters.config, '$.employees[?(@.age>42 && @.age<44)].age')}}" }, want: '[43]' },
    { name: 'expression-destructure-json-complex.yaml: range [0:1]', input: { text: "{{=jsonpath(workflow.parameters.config, '$.employees[0:1]')}}" }, want: '[{"age":43,"name":"Baris"}]' },
    { name: 'expression-destructure-json-complex.yaml: [*].name', input: { text: "{{=jsonpath(workflow.parameters.config, '$.employees[*].name')}}" }, want: '["Baris","Mo","Jai"]' },
    { name: 'expression-destructure-json.yaml: $.a of a number is 1', input: { text: "{{=jsonpath(workflow.parameters.config, '$.employees[1].age')}}" }, want: '42' },
    {
      name: 'expression-reusing-verbose-snippets.yaml: map + toJson + sprig.b64dec/add/min/max',
      input: {
        text: `{{=
          map([
              jsonpath(sprig.b64dec(jsonpath(workflow.parameters.weather, '$.weekWeather')), '$.temps')
            ], {
              toJson({
                avg: sprig.add(#[0], #[1], #[2], #[3], #[4]) / 5,
                min: sprig.min(#[0], #[1], #[2], #[3], #[4]),
                max: sprig.max(#[0], #[1], #[2], #[3], #[4])
              })
          })[0]
        }}`,
      },
      want: '{"avg":35.8,"max":57,"min":15}',
    },
    { name: 'conditionals.yaml: inputs.parameters["should-print"] == \'true\'', input: { text: `{{= inputs.parameters["should-print"] == 'true'}}` }, want: 'true' },
    { name: "conditionals.yaml: jsonpath(workflow.parameters.json, '$[0].value') == 'true'", input: { text: "{{=jsonpath(workflow.parameters.json, '$[0].value') == 'true'}}" }, want: 'true' },
    { name: 'variables.md: steps[\'my-step\'] index syntax for hyphenated names', input: { text: "{{=steps['flip-coin'].outputs.result}}" }, want: 'heads' },
    { name: 'dag-conditional-parameters.yaml: ternary over tasks', input: { text: "{{=tasks['flip-coin'].outputs.result == 'heads' ? tasks.heads.outputs.result : tasks.tails.outputs.result}}" }, want: 'it was tails' },
    { name: 'variables.md: sprig.trim', input: { text: '{{=sprig.trim("  x  ")}}' }, want: 'x' },
    { name: 'variables.md: string(1)', input: { text: '{{=string(1)}}' }, want: '1' },
    { name: 'variables.md: map([1, 2], { # * 2 }) renders as JSON', input: { text: '{{=map([1, 2], { # * 2 })}}' }, want: '[2,4]' },
    { name: 'json.Marshal of a float: 1e6 prints in full, as Argo substitutes it', input: { text: '{{=1000000.0}} {{=1.5}} {{=10/4}}' }, want: '1000000 1.5 2.5' },
    { name: 'json.Marshal escapes <>& inside structured results', input: { text: '{{=["<a>"]}} {{="<a>"}}' }, want: '["\\u003ca\\u003e"] <a>' },
    { name: 'opts.env merges values over the expanded vars', input: { text: '{{=item.name}}', opts: { env: { item: { name: 'x' } } } }, want: 'x' },
    { name: 'opts.env dotted keys land at their path (skipped output is nil)', input: { text: "{{=tasks.b.outputs.result ?? 'none'}}", opts: { env: { 'tasks.b.outputs.result': null } }, vars: { 'tasks.a.outputs.result': '1' } }, want: 'none' },
    { name: 'expression-tag-template-workflow.yaml: sprig.date with the clock the caller passes', input: { text: "{{=sprig.date('2006', workflow.creationTimestamp)}}", opts: { env: { $now: new Date('2031-05-06T00:00:00Z') } }, vars: { 'workflow.creationTimestamp': '2031-05-06T00:00:00Z', 'workflow.creationTimestamp.Y': '2031' } }, want: '2031' },
    { name: 'allowUnresolved: late-binding item missing keeps the tag', input: { text: '{{=item + 1}}', vars: {}, opts: { allowUnresolved: true } }, want: '{{=item + 1}}' },
    { name: 'allowUnresolved: retries missing keeps the tag', input: { text: '{{=asInt(retries) * 2}}', vars: {}, opts: { allowUnresolved: true } }, want: '{{=asInt(retries) * 2}}' },
    { name: 'allowUnresolved: a nil result keeps the tag (Argo global pass)', input: { text: '{{=steps.a.outputs.result}}', vars: { 'steps.b.outputs.result': 'x' }, opts: { allowUnresolved: true } }, want: '{{=steps.a.outputs.result}}' },
    { name: 'allowUnresolved: an unknown name keeps the tag', input: { text: '{{=tasks.a.outputs.result}}', vars: {}, opts: { allowUnresolved: true } }, want: '{{=tasks.a.outputs.result}}' },
    { name: 'allowUnresolved: a resolvable expression is evaluated', input: { text: '{{=asInt(inputs.parameters.num) + 1}}', opts: { allowUnresolved: true } }, want: '6' },
    { name: 'an expression tag needs = right after {{', input: { text: '{{ =item}}', opts: { allowUnresolved: true } }, want: '{{ =item}}' },
  ], ({ text, opts, vars }, want) => assert.equal(substitute(text, vars ?? VARS, opts), want));

  it('a missing variable is WEFT_E_UNRESOLVED when unresolved tags are not allowed', () => {
    expectError(() => substitute('{{=inputs.parameters.nope}}', VARS), 'WEFT_E_UNRESOLVED', /inputs\.parameters\.nope is missing/);
    expectError(() => substitute('{{=retries}}', {}), 'WEFT_E_UNRESOLVED', /retries is missing/);
  });

  it('a syntax error is WEFT_E_EXPR with line:col, even with allowUnresolved (Argo reports parse errors)', () => {
    const err = expectError(() => substitute('{{=1 + }}', VARS, { allowUnresolved: true, path: 'spec.x' }), 'WEFT_E_EXPR', /unexpected token EOF at 1:5/);
    assert.equal(err.path, 'spec.x');
  });

  it('a runtime error is WEFT_E_EXPR naming the expression', () => {
    expectError(() => substitute('{{=asInt(inputs.parameters.message)}}', VARS), 'WEFT_E_EXPR', /invalid operation: int\(hello world\)/);
    expectError(() => substitute('{{=nil}}', VARS), 'WEFT_E_EXPR', /nil/);
  });

  it('let-bound names are not missing variables (Argo would report them)', () => {
    assert.equal(substitute('{{= let x = asInt(inputs.parameters.foo); x * x }}', VARS), '9');
  });
});

describe('substituteDeep', () => {
  it('copies the value, substitutes every string, keeps keys and other values', () => {
    const input = { name: '{{workflow.name}}', args: ['{{item}}', 3, true, null], nested: { '{{key}}': '{{=item}}' } };
    const out = substituteDeep(input, VARS);
    assert.deepEqual(out, { name: 'wf-abc', args: ['3', 3, true, null], nested: { '{{key}}': '3' } });
    assert.equal(input.name, '{{workflow.name}}');
  });

  it('extends opts.path per field for errors', () => {
    const err = expectError(() => substituteDeep({ container: { args: ['ok', '{{nope}}'] } }, VARS, { path: 'spec.templates[1]' }), 'WEFT_E_UNRESOLVED');
    assert.equal(err.path, 'spec.templates[1].container.args[1]');
  });
});

describe('findTags', () => {
  it('lists simple (trimmed) and expression tags in order', () => {
    assert.deepEqual(findTags('a {{ inputs.parameters.x }} b {{=asInt(item) + 1}} {{steps.{{inputs.parameters.s}}.outputs.result}}'), [
      { kind: 'simple', name: 'inputs.parameters.x' },
      { kind: 'expression', source: 'asInt(item) + 1' },
      { kind: 'simple', name: 'inputs.parameters.s' },
    ]);
    assert.deepEqual(findTags('no tags {{ unclosed'), []);
  });
});
