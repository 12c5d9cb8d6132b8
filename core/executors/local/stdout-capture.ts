// A container's stdout as Argo keeps it for `outputs.result`: one trailing newline
// trimmed, at most the last 256 KiB (Argo's annotation cap; it warns and keeps the
// tail too). Only that tail stays in memory; the whole stream goes to the step's log
// (and to the archived log file when archiveLogs asks for it).

export const RESULT_CAP_BYTES = 256 * 1024;

export class StdoutCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private total = 0;

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.size += chunk.length;
    // One byte more than the cap, so trimming the final newline still leaves a full tail.
    for (let first = this.chunks[0]; first && this.size - first.length > RESULT_CAP_BYTES; first = this.chunks[0]) {
      this.chunks.shift();
      this.size -= first.length;
    }
  }

  /** Whether `result` lost its beginning to the cap. */
  get truncated(): boolean {
    return this.total > RESULT_CAP_BYTES + 1;
  }

  result(): string {
    let tail = Buffer.concat(this.chunks);
    if (tail.at(-1) === 0x0a) tail = tail.subarray(0, tail.length - 1);
    if (tail.length > RESULT_CAP_BYTES) {
      tail = tail.subarray(tail.length - RESULT_CAP_BYTES);
      // Do not start in the middle of a UTF-8 character.
      let skip = 0;
      while (skip < 3 && skip < tail.length && ((tail[skip] ?? 0) & 0xc0) === 0x80) skip++;
      tail = tail.subarray(skip);
    }
    return tail.toString('utf8');
  }
}
