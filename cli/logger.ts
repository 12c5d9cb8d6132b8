// The CLI's structured logger: pino to stderr, level from WEFT_LOG_LEVEL (default warn, so
// a person sees warnings such as "steps run without a sandbox" and nothing else).
import { pino, type Logger } from 'pino';

export function cliLogger(): Logger {
  return pino({ level: process.env.WEFT_LOG_LEVEL ?? 'warn', base: { component: 'weft' } }, pino.destination(2));
}
