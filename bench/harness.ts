// The harness every bench/<area>.bench.ts receives: timing with warmup and medians,
// free-form numbers, and ratios against a baseline with the target they must meet.
// Performance targets live in bench files only, never in tests: a slow CI machine must not
// fail the test suite, and a missed target is printed as MISSED for a human to judge.

export interface MeasureOptions {
  /** Calls per timed run (default 1000). */
  iterations?: number;
  /** Untimed calls first, to let the JIT and caches settle (default iterations / 10). */
  warmup?: number;
}

export interface Measurement {
  /** Median wall time of one timed run of `iterations` calls. */
  ms: number;
  perIteration: number;
}

export interface PairedMeasurement extends Measurement {
  /**
   * measurePair only: the median over the alternated rounds of this side's time divided by
   * the other side's in the same round. Steadier than a ratio of the two medians when the
   * machine's speed drifts during the measurement, as it does on shared virtual machines.
   */
  pairedRatio: number;
}

export interface BenchHarness {
  measure(name: string, fn: () => unknown | Promise<unknown>, opts?: MeasureOptions): Promise<Measurement>;
  /**
   * Two functions timed in alternation (a, b, a, b, ...), so a subject and its baseline see
   * the same machine: a noisy neighbour or a slow stretch lands on both, not on one.
   */
  measurePair(
    a: { name: string; fn: () => unknown | Promise<unknown> },
    b: { name: string; fn: () => unknown | Promise<unknown> },
    opts?: MeasureOptions & { runs?: number },
  ): Promise<[PairedMeasurement, PairedMeasurement]>;
  report(name: string, value: number, unit: string, note?: string): void;
  ratio(name: string, subject: number, baseline: number, target?: { max: number }): void;
  /** A number with an absolute target (e.g. ≤ 1 ms per step, ≤ 150 MB). */
  limit(name: string, value: number, unit: string, max: number, note?: string): void;
}

export type BenchFunction = (h: BenchHarness) => Promise<void>;

export interface BenchRow {
  bench: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
  /** Ratios and limits with a target. */
  target?: { max: number };
  ok?: boolean;
}

// Odd so the median is one real run; enough runs that one GC pause or context switch
// lands in a discarded tail rather than in the result.
const TIMED_RUNS = 7;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && 'then' in v && typeof v.then === 'function';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Milliseconds in the unit a human reads best: 0.0123 ms is "12.3 µs". */
export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(1)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}

export function formatValue(row: BenchRow): string {
  if (row.unit === 'ms/op') return `${formatDuration(row.value)}/op`;
  if (row.unit === 'x') return `${row.value.toFixed(2)}x`;
  return `${Number.isInteger(row.value) ? row.value : row.value.toFixed(2)} ${row.unit}`;
}

/** One line per row, as printed while benches run and in the final table. */
export function formatRow(row: BenchRow): string {
  if (row.unit === 'x') {
    const target = row.target === undefined ? '' : ` (target ≤ ${row.target.max}x) ${row.ok === true ? 'ok' : 'MISSED'}`;
    return `${row.name}: ${row.value.toFixed(2)}x baseline${target}`;
  }
  const target = row.target === undefined ? '' : ` (target ≤ ${row.target.max} ${row.unit}) ${row.ok === true ? 'ok' : 'MISSED'}`;
  return `${row.name}: ${formatValue(row)}${target}${row.note === undefined ? '' : `  (${row.note})`}`;
}

/** A harness for one bench file; rows collect what it reported, print shows progress. */
export function createHarness(bench: string, print: (line: string) => void): BenchHarness & { rows: BenchRow[] } {
  const rows: BenchRow[] = [];
  const add = (row: BenchRow): void => {
    rows.push(row);
    print(`  ${formatRow(row)}`);
  };

  async function timeRun(fn: () => unknown, iterations: number): Promise<number> {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) {
      const result = fn();
      // Await only what is asynchronous: awaiting a plain value would add a microtask hop
      // per call and make cheap synchronous operations look slower than they are.
      if (isThenable(result)) await result;
    }
    return performance.now() - start;
  }

  return {
    rows,
    async measure(name, fn, opts = {}) {
      const iterations = Math.max(1, Math.floor(opts.iterations ?? 1000));
      const warmup = Math.max(0, Math.floor(opts.warmup ?? iterations / 10));
      await timeRun(fn, warmup);
      const runs: number[] = [];
      for (let r = 0; r < TIMED_RUNS; r++) runs.push(await timeRun(fn, iterations));
      const ms = median(runs);
      const perIteration = ms / iterations;
      const spread = (Math.max(...runs) - Math.min(...runs)) / iterations;
      add({ bench, name, value: perIteration, unit: 'ms/op', note: `median of ${TIMED_RUNS}×${iterations}, spread ${formatDuration(spread)}` });
      return { ms, perIteration };
    },
    async measurePair(a, b, opts = {}) {
      const iterations = Math.max(1, Math.floor(opts.iterations ?? 1000));
      const warmup = Math.max(0, Math.floor(opts.warmup ?? iterations / 10));
      const count = opts.runs ?? TIMED_RUNS * 2 + 1;
      await timeRun(a.fn, warmup);
      await timeRun(b.fn, warmup);
      const runs: [number[], number[]] = [[], []];
      for (let r = 0; r < count; r++) {
        runs[0].push(await timeRun(a.fn, iterations));
        runs[1].push(await timeRun(b.fn, iterations));
      }
      return [a, b].map((side, i) => {
        const times = runs[i] ?? [];
        const others = runs[1 - i] ?? [];
        const ms = median(times);
        const spread = (Math.max(...times) - Math.min(...times)) / iterations;
        add({ bench, name: side.name, value: ms / iterations, unit: 'ms/op', note: `median of ${count}×${iterations}, alternated, spread ${formatDuration(spread)}` });
        return { ms, perIteration: ms / iterations, pairedRatio: median(times.map((t, r) => t / (others[r] ?? Number.NaN))) };
      }) as [PairedMeasurement, PairedMeasurement];
    },
    report(name, value, unit, note) {
      add({ bench, name, value, unit, ...(note === undefined ? {} : { note }) });
    },
    limit(name, value, unit, max, note) {
      add({ bench, name, value, unit, target: { max }, ok: value <= max, ...(note === undefined ? {} : { note }) });
    },
    ratio(name, subject, baseline, target) {
      const value = baseline > 0 ? subject / baseline : Number.POSITIVE_INFINITY;
      add({ bench, name, value, unit: 'x', ...(target === undefined ? {} : { target, ok: value <= target.max }) });
    },
  };
}
