// Table-driven engine semantics: each row is a workflow (after an Argo doc example), a
// stand-in executor and what status.nodes must look like. No processes, no clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeIdFor, reconcile, type NodeOutcome, type StartNodeAction } from '../../core/engine/index.js';
import type { NodeStatus } from '../../core/spec/index.js';
import { simulate, type Answer } from '../support/simulate.js';
import { workflowFromYaml } from '../support/workflow.js';

const ok = (result?: string): NodeOutcome => ({ phase: 'Succeeded', exitCode: 0, outputs: { ...(result !== undefined ? { result } : {}), exitCode: '0' } });
const failed: NodeOutcome = { phase: 'Failed', exitCode: 1, message: 'Error (exit code 1)', outputs: { exitCode: '1' } };

/** Succeeds every step, echoing its first arg as the result; steps whose args contain "fail" fail. */
const echo: Answer = (a: StartNodeAction) => {
  const args = a.template.container?.args ?? a.template.script?.source?.split(' ') ?? [];
  if (args.some((x) => x.includes('fail'))) return failed;
  return ok(args.join(' '));
};

function byDisplay(nodes: Record<string, NodeStatus>, name: string): NodeStatus[] {
  return Object.values(nodes).filter((n) => n.displayName === name);
}

interface Row {
  name: string;
  yaml: string;
  answer?: Answer;
  phase: string;
  nodes?: Record<string, string>; // displayName -> phase
  check?: (nodes: Record<string, NodeStatus>) => void;
}

const container = (name: string, arg = 'hello'): string => `
  - name: ${name}
    container: {image: alpine, command: [echo], args: ["${arg}"]}`;

const rows: Row[] = [
  {
    name: 'steps.yaml: sequential and parallel groups',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: say}
    - - {name: b, template: say}
      - {name: c, template: say}
${container('say')}`,
    phase: 'Succeeded',
    nodes: { a: 'Succeeded', b: 'Succeeded', c: 'Succeeded', '[0]': 'Succeeded', '[1]': 'Succeeded' },
    check: (nodes) => {
      const root = nodes.wf;
      assert.equal(root.type, 'Steps');
      assert.deepEqual(root.children, [nodeIdFor('wf', 'wf[0]')]);
      const a = nodes[nodeIdFor('wf', 'wf[0].a')];
      assert.equal(a.name, 'wf[0].a');
      assert.deepEqual(a.children, [nodeIdFor('wf', 'wf[1]')], 'a leads to the next step group');
      assert.deepEqual(new Set(root.outboundNodes), new Set([nodeIdFor('wf', 'wf[1].b'), nodeIdFor('wf', 'wf[1].c')]));
    },
  },
  {
    name: 'dag-diamond.yaml: A -> B,C -> D',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: say}
      - {name: B, template: say, dependencies: [A]}
      - {name: C, template: say, dependencies: [A]}
      - {name: D, template: say, dependencies: [B, C]}
${container('say')}`,
    phase: 'Succeeded',
    nodes: { A: 'Succeeded', B: 'Succeeded', C: 'Succeeded', D: 'Succeeded' },
    check: (nodes) => {
      const a = nodes[nodeIdFor('wf', 'wf.A')];
      assert.deepEqual(new Set(a.children), new Set([nodeIdFor('wf', 'wf.B'), nodeIdFor('wf', 'wf.C')]));
      assert.deepEqual(nodes.wf.outboundNodes, [nodeIdFor('wf', 'wf.D')]);
    },
  },
  {
    name: 'dag-continue-on-fail.yaml: depends B.Failed runs D, E && F omits G',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: say}
      - {name: B, template: bad, depends: A}
      - {name: C, template: say, depends: A}
      - {name: D, template: say, depends: B.Failed && C}
      - {name: E, template: bad, depends: A}
      - {name: F, template: say, depends: A}
      - {name: G, template: say, depends: E && F}
${container('say')}
${container('bad', 'fail')}`,
    phase: 'Failed',
    nodes: { A: 'Succeeded', B: 'Failed', D: 'Succeeded', E: 'Failed', F: 'Succeeded', G: 'Omitted' },
  },
  {
    name: 'continue-on-fail.yaml: continueOn.failed lets the workflow succeed',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: A, template: say}
    - - {name: C, template: bad, continueOn: {failed: true}}
    - - {name: D, template: say}
${container('say')}
${container('bad', 'fail')}`,
    phase: 'Succeeded',
    nodes: { A: 'Succeeded', C: 'Failed', D: 'Succeeded' },
  },
  {
    name: 'retry-container.yaml: limit 2 gives three attempts',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: bad
  templates:
  - name: bad
    retryStrategy: {limit: "2"}
    container: {image: alpine, args: [fail]}`,
    phase: 'Failed',
    nodes: { 'wf(0)': 'Failed', 'wf(1)': 'Failed', 'wf(2)': 'Failed' },
    check: (nodes) => {
      assert.equal(nodes.wf.type, 'Retry');
      assert.equal(nodes.wf.children?.length, 3);
      assert.equal(nodes.wf.message, 'No more retries left');
    },
  },
  {
    name: 'conditionals.yaml: when false is Skipped with Argo message',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  arguments: {parameters: [{name: go, value: "false"}]}
  templates:
  - name: main
    steps:
    - - {name: maybe, template: say, when: "{{workflow.parameters.go}} == true"}
${container('say')}`,
    phase: 'Succeeded',
    nodes: { maybe: 'Skipped' },
    check: (nodes) => assert.equal(byDisplay(nodes, 'maybe')[0].message, "when 'false == true' evaluated false"),
  },
  {
    name: 'loops.yaml: withItems children named name(i:item)',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: print
        template: say
        arguments: {parameters: [{name: m, value: "{{item}}"}]}
        withItems: [hello, 2, {os: debian, v: 9}]
  - name: say
    inputs: {parameters: [{name: m}]}
    container: {image: alpine, args: ["{{inputs.parameters.m}}"]}`,
    phase: 'Succeeded',
    nodes: { 'print(0:hello)': 'Succeeded', 'print(1:2)': 'Succeeded', 'print(2:os:debian,v:9)': 'Succeeded' },
    check: (nodes) => {
      const n = byDisplay(nodes, 'print(2:os:debian,v:9)')[0];
      assert.equal(n.inputs?.parameters?.[0].value, '{"os":"debian","v":9}');
    },
  },
  {
    name: 'output-parameter.yaml: a step result feeds the next step',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gen, template: say}
    - - name: use
        template: show
        arguments: {parameters: [{name: m, value: "got {{steps.gen.outputs.result}}"}]}
${container('say', 'xyz')}
  - name: show
    inputs: {parameters: [{name: m}]}
    container: {image: alpine, args: ["{{inputs.parameters.m}}"]}`,
    phase: 'Succeeded',
    check: (nodes) => assert.equal(byDisplay(nodes, 'use')[0].outputs?.result, 'got xyz'),
  },
  {
    name: 'exit-handlers.yaml: onExit sees workflow.status',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: bad
  onExit: exit
  templates:
${container('bad', 'fail')}
  - name: exit
    steps:
    - - {name: celebrate, template: say, when: "{{workflow.status}} == Succeeded"}
      - {name: cry, template: say, when: "{{workflow.status}} != Succeeded"}
${container('say')}`,
    phase: 'Failed',
    nodes: { celebrate: 'Skipped', cry: 'Succeeded', 'wf.onExit': 'Succeeded' },
  },
  {
    name: 'template activeDeadlineSeconds kills the step',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: slow
  templates:
  - name: slow
    activeDeadlineSeconds: 10
    container: {image: alpine, args: [sleep]}`,
    answer: () => 'never',
    phase: 'Failed',
    check: (nodes) => assert.equal(nodes.wf.message, 'Pod was active on the node longer than the specified deadline'),
  },
  {
    name: 'exit-handlers.yaml: a failing exit handler fails a succeeded workflow',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: say
  onExit: bad
  templates:
${container('say')}
${container('bad', 'fail')}`,
    phase: 'Failed',
    nodes: { wf: 'Succeeded', 'wf.onExit': 'Failed' },
  },
  {
    name: 'dag-targets.yaml: target runs only what it needs',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      target: C
      tasks:
      - {name: A, template: say}
      - {name: B, template: say}
      - {name: C, template: say, dependencies: [A]}
${container('say')}`,
    phase: 'Succeeded',
    nodes: { A: 'Succeeded', C: 'Succeeded' },
    check: (nodes) => assert.equal(byDisplay(nodes, 'B').length, 0, 'B is not a dependency of the target'),
  },
  {
    name: 'suspend-template.yaml: a suspend with a duration resumes by itself',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: wait, template: wait}
    - - {name: after, template: say}
  - name: wait
    suspend: {duration: "20s"}
${container('say')}`,
    phase: 'Succeeded',
    nodes: { wait: 'Succeeded', after: 'Succeeded' },
    check: (nodes) => {
      const w = byDisplay(nodes, 'wait')[0];
      assert.equal(Date.parse(w.finishedAt ?? '') - Date.parse(w.startedAt ?? ''), 20_000);
    },
  },
  {
    name: 'retry-backoff.yaml: backoff waits duration * factor^n between attempts',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: bad
  templates:
  - name: bad
    retryStrategy: {limit: 2, backoff: {duration: "1s", factor: 2}}
    container: {image: alpine, args: [fail]}`,
    phase: 'Failed',
    check: (nodes) => {
      const starts = ['wf(0)', 'wf(1)', 'wf(2)'].map((d) => Date.parse(byDisplay(nodes, d)[0].startedAt ?? ''));
      assert.equal(starts[1] - starts[0], 1000);
      assert.equal(starts[2] - starts[1], 2000);
    },
  },
  {
    name: 'parallelism-template-limit.yaml: template parallelism 2 over 4 items',
    yaml: `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 2
    steps:
    - - {name: s, template: say, withItems: [1, 2, 3, 4]}
${container('say')}`,
    answer: () => ({ after: 1000, outcome: ok('x') }),
    phase: 'Succeeded',
    check: (nodes) => {
      const spans = Object.values(nodes).filter((n) => n.type === 'Pod').map((n) => [Date.parse(n.startedAt ?? ''), Date.parse(n.finishedAt ?? '')]);
      assert.equal(spans.length, 4);
      for (const [s1, e1] of spans) assert.ok(spans.filter(([s2, e2]) => s2 < e1 && s1 < e2).length <= 2, 'at most two at once');
    },
  },
];

for (const row of rows) {
  test(`engine: ${row.name}`, () => {
    const wf = workflowFromYaml(row.yaml);
    const result = simulate(wf, row.answer ?? echo);
    const nodes = result.status.nodes ?? {};
    assert.equal(result.status.phase, row.phase, JSON.stringify(Object.values(nodes).map((n) => [n.displayName, n.phase, n.message])));
    for (const [display, phase] of Object.entries(row.nodes ?? {})) {
      const found = byDisplay(nodes, display);
      assert.ok(found.length > 0, `node ${display} exists (have ${Object.values(nodes).map((n) => n.displayName).join(', ')})`);
      for (const n of found) assert.equal(n.phase, phase, `${display} phase`);
    }
    row.check?.(nodes);
  });
}

test('engine: workflow parallelism 1 never runs two pods at once', () => {
  const wf = workflowFromYaml(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  parallelism: 1
  templates:
  - name: main
    steps:
    - - {name: a, template: say}
      - {name: b, template: say}
      - {name: c, template: say}
${container('say')}`);
  let running = 0;
  let max = 0;
  const result = simulate(wf, () => {
    running++;
    max = Math.max(max, running);
    return { after: 1000, outcome: ok('x') };
  }, {
    events: () => [],
  });
  // every answer is delivered 1 s later; the simulator has no notion of "running", so count
  // overlapping intervals from the node times instead
  const pods = Object.values(result.status.nodes ?? {}).filter((n) => n.type === 'Pod');
  assert.equal(pods.length, 3);
  const spans = pods.map((n) => [Date.parse(n.startedAt ?? ''), Date.parse(n.finishedAt ?? '')]);
  for (const [s1, e1] of spans) {
    const overlapping = spans.filter(([s2, e2]) => s2 < e1 && s1 < e2).length;
    assert.equal(overlapping, 1, 'only itself overlaps');
  }
  assert.equal(result.status.phase, 'Succeeded');
  assert.ok(max >= 1);
});

test('engine: a template timeout ends a Pending http node and asks for its call to be killed', () => {
  const wf = workflowFromYaml(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: call
  templates:
  - name: call
    timeout: 5s
    http: {url: "http://127.0.0.1:1/slow"}`);
  const t0 = Date.UTC(2026, 0, 1);
  const first = reconcile(wf, undefined, [{ type: 'tick' }], t0);
  assert.equal(first.status.nodes?.wf?.phase, 'Pending');
  assert.ok(first.actions.some((a) => a.type === 'start'));
  // The runtime's timer fires a little after the wake-up it was asked for.
  const late = reconcile(wf, first.status, [{ type: 'tick' }], t0 + 5_005);
  const node = late.status.nodes?.wf;
  assert.equal(node?.type, 'HTTP');
  assert.equal(node?.phase, 'Failed');
  assert.equal(node?.message, 'Template timeout 5s exceeded');
  assert.deepEqual(late.actions.filter((a) => a.type === 'kill').map((a) => a.type === 'kill' && a.nodeId), ['wf']);
  assert.equal(late.status.phase, 'Failed');
});

test('engine: a DAG task or loop item still at work is not visited, so not reported as changed', () => {
  const wf = workflowFromYaml(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: slow, template: call}
      - {name: fast, template: call}
      - {name: many, template: call, withItems: [1, 2]}
  - name: call
    http: {url: "http://127.0.0.1:1/x"}`);
  const t0 = Date.UTC(2026, 0, 1);
  const first = reconcile(wf, undefined, [{ type: 'tick' }], t0, {}, { inPlace: true });
  const starts = first.actions.flatMap((a) => (a.type === 'start' ? [a] : []));
  assert.equal(starts.length, 4);
  const byName = (suffix: string) => starts.find((a) => a.nodeName.endsWith(suffix))?.nodeId ?? '';
  const finished = [byName('.fast'), byName('(0:1)')];
  const second = reconcile(wf, first.status, finished.map((nodeId) => ({ type: 'node-finished', nodeId, outcome: ok() })), t0 + 1000, {}, { inPlace: true });
  const changed = new Set(second.changedNodes);
  for (const id of finished) assert.ok(changed.has(id), 'a finished node is reported');
  assert.ok(!changed.has(byName('.slow')), 'the task at work is not');
  assert.ok(!changed.has(byName('(1:2)')), 'the loop item at work is not');
  assert.equal(second.status.nodes?.[byName('.slow')]?.phase, 'Pending');
});

test('engine: tasks and loop items at work are still killed at their template deadline', () => {
  const wf = workflowFromYaml(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: one, template: slow}
      - {name: many, template: slow, withItems: [1, 2]}
  - name: slow
    activeDeadlineSeconds: 10
    container: {image: alpine, args: [sleep]}`);
  const result = simulate(wf, () => 'never');
  const pods = Object.values(result.status.nodes ?? {}).filter((n) => n.type === 'Pod');
  assert.equal(pods.length, 3);
  for (const pod of pods) {
    assert.equal(pod.phase, 'Failed', pod.name);
    assert.equal(pod.message, 'Pod was active on the node longer than the specified deadline');
  }
  assert.equal(result.actions.filter((a) => a.type === 'kill').length, 3);
});

test('engine: node ids are the workflow name plus FNV-1a of the node name', () => {
  // values from Argo: wf.NodeID("hello-world-abc[0]") style ids are `${wf}-${fnv32a(name)}`
  assert.equal(nodeIdFor('wf', 'wf'), 'wf');
  assert.match(nodeIdFor('wf', 'wf[0].a'), /^wf-\d+$/);
  assert.notEqual(nodeIdFor('wf', 'wf[0].a'), nodeIdFor('wf', 'wf[0].b'));
});
