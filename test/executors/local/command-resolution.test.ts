// What a container runs: Kubernetes' command/args vs image ENTRYPOINT/CMD (from the
// conformance kit's images table), script source as the last argument, alias on the
// first word, $(VAR) expansion. Rows are named after the Argo example they come from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandKubernetesVars, resolveArgv } from '../../../core/executors/local/index.js';
import { CONFORMANCE_IMAGES } from './harness.js';

const alias = { '/argosay': '/kit/bin/argosay', python: 'python3' };
const resolve = (container: { image?: string; command?: string[]; args?: string[] }, scriptPath?: string) =>
  resolveArgv(container, { images: CONFORMANCE_IMAGES, alias, ...(scriptPath ? { scriptPath } : {}) });

describe('command resolution (Kubernetes semantics + weft.yaml images)', () => {
  const rows: Array<{ name: string; container: { image?: string; command?: string[]; args?: string[] }; script?: string; want: string[] }> = [
    { name: 'hello-world.yaml: command + args replace ENTRYPOINT and CMD', container: { image: 'busybox', command: ['echo'], args: ['hello world'] }, want: ['echo', 'hello world'] },
    { name: 'key-only-artifact.yaml: args only are appended to the ENTRYPOINT (argosay:v2)', container: { image: 'argoproj/argosay:v2', args: ['echo', 'hello', '/mnt/file'] }, want: ['argosay', 'echo', 'hello', '/mnt/file'] },
    { name: 'label-value-from-workflow.yaml: neither runs ENTRYPOINT (+ CMD)', container: { image: 'argoproj/argosay:v2' }, want: ['argosay'] },
    { name: 'ci-output-artifact.yaml release-artifact: CMD only (alpine)', container: { image: 'alpine:3.23' }, want: ['/bin/sh'] },
    { name: 'fun-with-gifs.yaml create-output-dir: command only drops CMD', container: { image: 'alpine:3.23', command: ['mkdir', '-p', '/out'] }, want: ['mkdir', '-p', '/out'] },
    { name: 'argosay:v1 (CMD cowsay): args replace the CMD, no ENTRYPOINT', container: { image: 'argoproj/argosay:v1', args: ['echo', 'hi'] }, want: ['echo', 'hi'] },
    { name: 'argosay:v1 with neither: CMD runs', container: { image: 'argoproj/argosay:v1' }, want: ['cowsay'] },
    { name: 'cron-workflow-multiple-schedules.yaml: whalesay command as written', container: { image: 'docker/whalesay', command: ['cowsay'], args: ['hello'] }, want: ['cowsay', 'hello'] },
    { name: 'handle-large-output-results.yaml echo: jq image with its own command', container: { image: 'stedolan/jq:latest', command: ['sh', '-c'], args: ["cat /tmp/items | jq '.[0]'"] }, want: ['sh', '-c', "cat /tmp/items | jq '.[0]'"] },
    { name: 'stedolan/jq args only: ENTRYPOINT jq + args', container: { image: 'stedolan/jq', args: ['.'] }, want: ['jq', '.'] },
    { name: 'artifact-gc-workflow.yaml: command /argosay is aliased', container: { image: 'argoproj/argosay:v2', command: ['/argosay'], args: ['echo', 'x'] }, want: ['/kit/bin/argosay', 'echo', 'x'] },
    { name: 'scripts-python.yaml: script source is the last argument; python aliased', container: { image: 'python:alpine3.23', command: ['python'] }, script: '/argo/staging/script', want: ['python3', '/argo/staging/script'] },
    { name: 'scripts-bash.yaml: sh -c with the script path', container: { image: 'alpine:3.23', command: ['sh', '-c'] }, script: '/argo/staging/script', want: ['sh', '-c', '/argo/staging/script'] },
    { name: 'script without command: ENTRYPOINT + [script] (args given, CMD dropped)', container: { image: 'python:alpine3.23' }, script: '/argo/staging/script', want: ['/argo/staging/script'] },
    { name: 'loops-maps.yaml: debian:9.1 image glob with command', container: { image: 'debian:9.1', command: ['cat'], args: ['/etc/os-release'] }, want: ['cat', '/etc/os-release'] },
    { name: 'docker.io/library/busybox matches the busybox* rule', container: { image: 'docker.io/library/busybox' }, want: ['sh'] },
    { name: 'unknown image is fine when the template gives a command', container: { image: 'golang:1.10', command: ['sh', '-c'], args: ['go version'] }, want: ['sh', '-c', 'go version'] },
    { name: 'empty command list counts as unset (Kubernetes)', container: { image: 'argoproj/argosay:v2', command: [], args: ['echo'] }, want: ['argosay', 'echo'] },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(resolve(row.container, row.script), row.want));
  }

  it('daemon-step.yaml influxdb: unknown image without command asks for an images entry', () => {
    assert.throws(
      () => resolve({ image: 'influxdb:1.2' }),
      (err: Error) => /executor\.local\.images/.test(err.message) && /influxdb/.test(err.message) && /weft\.yaml/.test(err.message),
    );
  });

  it('a matching images entry with neither command nor args is reported as such', () => {
    assert.throws(
      () => resolveArgv({ image: 'scratch' }, { images: [{ pattern: 'scratch' }], alias: {} }),
      /sets neither command nor args/,
    );
  });
});

describe('$(VAR) expansion (kubelet expansion.Expand)', () => {
  const env = { NAME: 'weft', EMPTY: '' };
  const rows: Array<[string, string, string]> = [
    ['defined variable', 'hello $(NAME)', 'hello weft'],
    ['undefined variable kept as written', 'echo $(date)', 'echo $(date)'],
    ['shell command substitution untouched', 'for i in $(seq 1 3); do echo $i; done', 'for i in $(seq 1 3); do echo $i; done'],
    ['$$ escapes a dollar', 'echo $$(NAME) $$HOME', 'echo $(NAME) $HOME'],
    ['empty value', '[$(EMPTY)]', '[]'],
    ['unterminated reference', 'echo $(NAME', 'echo $(NAME'],
    ['trailing dollar', 'cost: 5$', 'cost: 5$'],
  ];
  for (const [name, input, want] of rows) it(name, () => assert.equal(expandKubernetesVars(input, env), want));

  it('command and args see the container env', () => {
    const argv = resolveArgv({ command: ['echo', '$(GREETING)'] }, { images: [], alias: {}, env: { GREETING: 'hi' } });
    assert.deepEqual(argv, ['echo', 'hi']);
  });
});
