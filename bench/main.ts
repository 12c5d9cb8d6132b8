// Runs the benchmarks: every *.bench.js beside this file in dist/bench/, or only the areas
// named on the command line, one after another (so they never compete for the CPU), then
// prints a summary table.
//
//   npm run bench                       all areas
//   npm run bench -- store engine       only store.bench.js and engine.bench.js
//   npm run bench -- --json out.json    also write the rows as JSON
//   npm run bench -- --strict           exit 1 when a target is MISSED (default: report only)
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHarness, formatValue, type BenchFunction, type BenchRow } from './harness.js';

interface Args {
  areas: string[];
  json?: string;
  strict: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { areas: [], strict: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--json') {
      const file = argv[++i];
      if (file === undefined) throw new Error('--json needs a file name');
      args.json = file;
    } else if (a === '--strict') {
      args.strict = true;
    } else if (a.startsWith('-')) {
      throw new Error(`unknown option ${a} (options: --json FILE, --strict)`);
    } else {
      args.areas.push(a.replace(/\.bench\.(js|ts)$/, ''));
    }
  }
  return args;
}

function isBenchModule(m: unknown): m is { default: BenchFunction } {
  return typeof m === 'object' && m !== null && 'default' in m && typeof m.default === 'function';
}

function table(rows: BenchRow[]): string {
  const cells = rows.map((r) => [
    r.bench,
    r.name,
    formatValue(r),
    r.target === undefined ? '' : `≤ ${r.target.max}${r.unit === 'x' ? 'x' : ` ${r.unit}`} ${r.ok === true ? 'ok' : 'MISSED'}`,
  ]);
  const header = ['area', 'benchmark', 'result', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const here = dirname(fileURLToPath(import.meta.url));
  const available = readdirSync(here).filter((f) => f.endsWith('.bench.js')).map((f) => f.slice(0, -'.bench.js'.length)).sort();
  const unknown = args.areas.filter((a) => !available.includes(a));
  if (unknown.length > 0) {
    console.error(`no bench for ${unknown.join(', ')}; available: ${available.join(', ') || '(none)'}`);
    return 2;
  }
  const areas = args.areas.length > 0 ? args.areas : available;
  const rows: BenchRow[] = [];
  const failures: string[] = [];

  for (const area of areas) {
    console.log(`${area}`);
    const h = createHarness(area, (line) => console.log(line));
    try {
      const mod: unknown = await import(pathToFileURL(join(here, `${area}.bench.js`)).href);
      if (!isBenchModule(mod)) throw new Error(`${area}.bench.js has no default export function (h: BenchHarness) => Promise<void>`);
      await mod.default(h);
    } catch (err) {
      failures.push(area);
      console.error(`  ${area} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    rows.push(...h.rows);
  }

  console.log(`\n${table(rows)}`);
  const missed = rows.filter((r) => r.ok === false);
  if (missed.length > 0) console.log(`\n${missed.length} target(s) MISSED: ${missed.map((r) => `${r.bench}/${r.name}`).join(', ')}`);
  if (failures.length > 0) console.log(`\nfailed: ${failures.join(', ')}`);

  if (args.json !== undefined) {
    const machine = { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length };
    writeFileSync(args.json, `${JSON.stringify({ date: new Date().toISOString(), machine, rows, failures }, null, 2)}\n`);
    console.log(`\nwrote ${args.json}`);
  }
  if (failures.length > 0) return 1;
  return args.strict && missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  },
);
