// The response body becomes outputs.result, so it is capped: a declared or streamed
// body over maxResponseBytes fails the node with a message naming the limit, and the
// executor never buffers more than the cap.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_MAX_RESPONSE_BYTES, createHttpExecutor } from '../../../core/executors/http/index.js';
import { startLoopback, stepRequest, streamProgress } from './loopback.js';
import type { Loopback } from './loopback.js';

let server: Loopback;

before(async () => {
  server = await startLoopback();
});
after(() => server.close());

interface Row {
  name: string;
  path: string;
  cap?: number;
  phase: 'Succeeded' | 'Failed';
  resultLength?: number;
}

const KiB = 1024;
const rows: Row[] = [
  { name: 'exactly the cap is fine', path: `/huge/${64 * KiB}`, cap: 64 * KiB, phase: 'Succeeded', resultLength: 64 * KiB },
  { name: 'one byte over a declared Content-Length fails before reading', path: `/huge/${64 * KiB + 1}`, cap: 64 * KiB, phase: 'Failed' },
  { name: 'a chunked body over the cap fails while streaming', path: `/stream/${256 * KiB}`, cap: 64 * KiB, phase: 'Failed' },
  { name: 'a chunked body under the cap is kept whole', path: `/stream/${200 * KiB}`, cap: 256 * KiB, phase: 'Succeeded', resultLength: 200 * KiB },
  { name: 'the default cap (4 MiB) admits 4 MiB', path: `/huge/${DEFAULT_MAX_RESPONSE_BYTES}`, phase: 'Succeeded', resultLength: DEFAULT_MAX_RESPONSE_BYTES },
  { name: 'the default cap refuses 4 MiB + 1', path: `/stream/${DEFAULT_MAX_RESPONSE_BYTES + 1}`, phase: 'Failed' },
];

for (const row of rows) {
  test(`body cap: ${row.name}`, async () => {
    const executor = createHttpExecutor({ evaluate: () => true, maxResponseBytes: row.cap });
    const outcome = await executor.execute(stepRequest({ url: `${server.url}${row.path}` }));
    assert.equal(outcome.phase, row.phase, outcome.message);
    if (row.resultLength !== undefined) assert.equal(outcome.outputs?.result?.length, row.resultLength);
    if (row.phase === 'Failed') {
      const cap = row.cap ?? DEFAULT_MAX_RESPONSE_BYTES;
      const shown = cap % (1024 * 1024) === 0 ? `${cap / (1024 * 1024)} MiB` : `${cap / 1024} KiB`;
      assert.equal(
        outcome.message,
        `Get "${server.url}${row.path}": response body larger than ${shown} (weft.yaml executor.http.maxResponseBytes)`,
      );
      assert.equal(outcome.outputs, undefined, 'no partial result');
    }
  });
}

test('body cap: a 1 GiB stream is cut off at the cap, not read to the end', async () => {
  const executor = createHttpExecutor({ evaluate: () => true, maxResponseBytes: 1024 * 1024 });
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/stream/${1024 * 1024 * 1024}` }));
  assert.equal(outcome.phase, 'Failed');
  await new Promise((resolve) => setTimeout(resolve, 100));
  // What the server got out before the hang-up: the cap plus what socket buffers held.
  assert.ok(streamProgress.written < 64 * 1024 * 1024, `server wrote ${streamProgress.written} bytes`);
});
