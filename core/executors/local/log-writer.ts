// The step log as containers write it: chunks passed on as they come (UTF-8 kept
// whole across chunks), lines of containers other than main prefixed with their name.
import { StringDecoder } from 'node:string_decoder';
import type { LogStream } from '../types.js';

/** Streams chunks to the step log; other containers' lines carry a `[name] ` prefix. */
export function logWriter(log: (stream: LogStream, text: string) => void, prefix: string | undefined) {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const atLineStart = { stdout: true, stderr: true };
  return (stream: LogStream, chunk: Buffer) => {
    const text = decoders[stream].write(chunk);
    if (text === '') return;
    if (prefix === undefined) return log(stream, text);
    const lines = text.split('\n');
    const out = lines
      .map((line, i) => {
        const start = i === 0 ? atLineStart[stream] : true;
        const last = i === lines.length - 1;
        if (last && line === '') return '';
        return (start ? `[${prefix}] ` : '') + line;
      })
      .join('\n');
    atLineStart[stream] = text.endsWith('\n');
    log(stream, out);
  };
}
