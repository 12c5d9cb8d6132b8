// The DAG `depends` language: rows from Argo's "Enhanced Depends Logic" docs and
// dag-*.yaml examples; property tests for the parser and printer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  TASK_RESULTS,
  WeftError,
  dependsTasks,
  evaluateDepends,
  formatDepends,
  parseDepends,
  taskDependsExpr,
  type DependsExpr,
  type TaskResult,
} from '../../core/spec/index.js';

type Phases = Record<string, TaskResult[]>;

/** A result function over a table of which results each task has. */
const resultsOf = (phases: Phases) => (task: string, selector: TaskResult): boolean => (phases[task] ?? []).includes(selector);

interface Row {
  name: string;
  depends: string;
  tasks: string[];
  truthy: Phases[];
  falsy: Phases[];
}

const rows: Row[] = [
  {
    name: 'docs enhanced-depends: bare A means Succeeded || Skipped || Daemoned',
    depends: 'A',
    tasks: ['A'],
    truthy: [{ A: ['Succeeded'] }, { A: ['Skipped'] }, { A: ['Daemoned'] }],
    falsy: [{ A: ['Failed'] }, { A: ['Errored'] }, { A: ['Omitted'] }],
  },
  {
    name: 'docs enhanced-depends: A && (C.Succeeded || C.Failed)',
    depends: 'A && (C.Succeeded || C.Failed)',
    tasks: ['A', 'C'],
    truthy: [{ A: ['Succeeded'], C: ['Failed'] }, { A: ['Skipped'], C: ['Succeeded'] }],
    falsy: [{ A: ['Failed'], C: ['Succeeded'] }, { A: ['Succeeded'], C: ['Errored'] }],
  },
  {
    name: 'dag-conditional-parameters: flip-coin.Succeeded',
    depends: 'flip-coin.Succeeded',
    tasks: ['flip-coin'],
    truthy: [{ 'flip-coin': ['Succeeded'] }],
    falsy: [{ 'flip-coin': ['Skipped'] }],
  },
  {
    name: 'docs enhanced-depends: !A.Failed (negation binds tightest)',
    depends: '!A.Failed && B',
    tasks: ['A', 'B'],
    truthy: [{ A: ['Succeeded'], B: ['Succeeded'] }],
    falsy: [{ A: ['Failed'], B: ['Succeeded'] }, { A: ['Succeeded'], B: ['Failed'] }],
  },
  {
    name: '&& binds tighter than ||',
    depends: 'A.Failed || B.Failed && C.Failed',
    tasks: ['A', 'B', 'C'],
    truthy: [{ A: ['Failed'] }, { B: ['Failed'], C: ['Failed'] }],
    falsy: [{ B: ['Failed'] }, { C: ['Failed'] }],
  },
  {
    name: 'dag-continue-on-fail style: items results',
    depends: 'loop.AnySucceeded || loop.AllFailed',
    tasks: ['loop'],
    truthy: [{ loop: ['AnySucceeded'] }, { loop: ['AllFailed'] }],
    falsy: [{ loop: ['Failed'] }],
  },
  {
    name: 'whitespace and nested parentheses',
    depends: '  ( ( A.Errored ) )  ',
    tasks: ['A'],
    truthy: [{ A: ['Errored'] }],
    falsy: [{ A: ['Succeeded'] }],
  },
];

for (const row of rows) {
  test(`depends: ${row.name}`, () => {
    const expr = parseDepends(row.depends);
    assert.deepEqual(dependsTasks(expr), row.tasks);
    for (const phases of row.truthy) assert.equal(evaluateDepends(expr, resultsOf(phases)), true, JSON.stringify(phases));
    for (const phases of row.falsy) assert.equal(evaluateDepends(expr, resultsOf(phases)), false, JSON.stringify(phases));
  });
}

const bad: { name: string; depends: string; column: number }[] = [
  { name: 'unknown result', depends: 'A.Bogus', column: 3 },
  { name: 'unclosed parenthesis', depends: '(A && B', column: 8 },
  { name: 'dangling operator', depends: 'A &&', column: 5 },
  { name: 'single ampersand', depends: 'A & B', column: 3 },
  { name: 'empty', depends: '', column: 1 },
  { name: 'two names in a row', depends: 'A B', column: 3 },
];

for (const row of bad) {
  test(`depends rejects: ${row.name}`, () => {
    assert.throws(
      () => parseDepends(row.depends),
      (err: unknown) => err instanceof WeftError && err.code === 'WEFT_E_DEPENDS_SYNTAX' && err.message.includes(`column ${row.column}`),
    );
  });
}

test('dependencies: [A, B] widen by continueOn, like Argo expandDependency', () => {
  const tasks = [{ name: 'A', continueOn: { failed: true } }, { name: 'B' }, { name: 'C', dependencies: ['A', 'B'] }];
  const expr = taskDependsExpr(tasks[2] ?? { name: 'C' }, tasks);
  assert.ok(expr);
  assert.deepEqual(dependsTasks(expr), ['A', 'B']);
  assert.equal(evaluateDepends(expr, resultsOf({ A: ['Failed'], B: ['Succeeded'] })), true);
  assert.equal(evaluateDepends(expr, resultsOf({ A: ['Errored'], B: ['Succeeded'] })), false);
  assert.equal(taskDependsExpr({ name: 'root' }, tasks), undefined);
});

const taskName = fc.stringMatching(/^[a-zA-Z0-9][-a-zA-Z0-9]{0,8}$/);
const exprArb: fc.Arbitrary<DependsExpr> = fc.letrec<{ expr: DependsExpr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    taskName.map((task): DependsExpr => ({ type: 'task', task })),
    fc.tuple(taskName, fc.constantFrom(...TASK_RESULTS)).map(([task, result]): DependsExpr => ({ type: 'task', task, result })),
    tie('expr').map((expr): DependsExpr => ({ type: 'not', expr })),
    fc.tuple(tie('expr'), tie('expr')).map(([left, right]): DependsExpr => ({ type: 'and', left, right })),
    fc.tuple(tie('expr'), tie('expr')).map(([left, right]): DependsExpr => ({ type: 'or', left, right })),
  ),
})).expr;

test('property: parseDepends(formatDepends(e)) is e', () => {
  fc.assert(fc.property(exprArb, (expr) => assert.deepEqual(parseDepends(formatDepends(expr)), expr)));
});

test('property: parseDepends throws nothing but WeftError', () => {
  const alphabet = fc.constantFrom('A', 'b-1', '.', 'Succeeded', 'Bogus', '&&', '||', '&', '|', '!', '(', ')', ' ', '\n', '{{', '_', '.Failed');
  const text = fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 20 }).map((parts) => parts.join('')));
  fc.assert(
    fc.property(text, (input) => {
      try {
        parseDepends(input);
      } catch (err) {
        assert.ok(err instanceof WeftError, `threw ${String(err)}`);
      }
    }),
  );
});
