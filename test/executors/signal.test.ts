// StepAbort behaves as the AbortSignal it stands in for, as far as executors use one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepAbort, toAbortSignal, type StepSignal } from '../../core/executors/index.js';

interface Case {
  name: string;
  run(abort: StepAbort, calls: string[]): void;
  calls: string[];
}

const cases: Case[] = [
  {
    name: 'a listener runs once, on the first abort only',
    run: (a, calls) => {
      a.addEventListener('abort', () => calls.push('one'));
      a.abort('first');
      a.abort('second');
    },
    calls: ['one'],
  },
  {
    name: 'the same listener added twice runs once',
    run: (a, calls) => {
      const l = () => calls.push('l');
      a.addEventListener('abort', l);
      a.addEventListener('abort', l, { once: true });
      a.abort();
    },
    calls: ['l'],
  },
  {
    name: 'a removed listener does not run, the others do, in order',
    run: (a, calls) => {
      const gone = () => calls.push('gone');
      a.addEventListener('abort', () => calls.push('a'));
      a.addEventListener('abort', gone);
      a.addEventListener('abort', () => calls.push('b'));
      a.removeEventListener('abort', gone);
      a.abort();
    },
    calls: ['a', 'b'],
  },
  {
    name: 'a listener added after the abort never runs',
    run: (a, calls) => {
      a.abort();
      a.addEventListener('abort', () => calls.push('late'));
    },
    calls: [],
  },
  {
    name: 'a listener removing another mid-abort does not stop it (the list was taken)',
    run: (a, calls) => {
      const second = () => calls.push('second');
      a.addEventListener('abort', () => {
        calls.push('first');
        a.removeEventListener('abort', second);
      });
      a.addEventListener('abort', second);
      a.abort();
    },
    calls: ['first', 'second'],
  },
];

for (const c of cases) {
  test(`StepAbort: ${c.name}`, () => {
    const abort = new StepAbort();
    const calls: string[] = [];
    c.run(abort, calls);
    assert.deepEqual(calls, c.calls);
  });
}

test('StepAbort: the reason is the first one given, or an AbortError', () => {
  const given = new StepAbort();
  given.abort('stopped');
  given.abort('again');
  assert.equal(given.aborted, true);
  assert.equal(given.reason, 'stopped');
  const plain = new StepAbort();
  assert.equal(plain.aborted, false);
  assert.equal(plain.reason, undefined);
  plain.abort();
  const reason: unknown = plain.reason;
  assert.ok(reason instanceof DOMException);
  assert.equal(reason.name, 'AbortError');
});

test('toAbortSignal: an AbortSignal is itself; a StepAbort gives one linked signal, before or after the abort', () => {
  const native = new AbortController().signal;
  assert.equal(toAbortSignal(native), native);

  const before = new StepAbort();
  const linked = toAbortSignal(before);
  assert.ok(linked instanceof AbortSignal);
  assert.equal(toAbortSignal(before), linked, 'made once');
  let fired = 0;
  linked.addEventListener('abort', () => fired++);
  before.abort('terminated');
  assert.equal(linked.aborted, true);
  assert.equal(linked.reason, 'terminated');
  assert.equal(fired, 1);

  const after = new StepAbort();
  after.abort('late');
  assert.equal(toAbortSignal(after).aborted, true);
  assert.equal(toAbortSignal(after).reason, 'late');
});

test('toAbortSignal: any other StepSignal is followed by a new AbortSignal', () => {
  const inner = new StepAbort();
  const wrapper: StepSignal = {
    get aborted() { return inner.aborted; },
    get reason() { return inner.reason; },
    addEventListener: (type, l) => inner.addEventListener(type, l),
    removeEventListener: (type, l) => inner.removeEventListener(type, l),
  };
  const signal = toAbortSignal(wrapper);
  assert.equal(signal.aborted, false);
  inner.abort('why');
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason, 'why');
});
