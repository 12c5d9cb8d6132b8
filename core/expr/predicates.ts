// expr-lang's predicate builtins: all, any, none, one, filter, map, find(Last)(Index),
// count, sum, groupBy, sortBy, reduce. The evaluator hands in the predicate as a callback
// that binds `#`, `#index` and `#acc`.
import { fail } from './expr-error.js';
import { goSprint } from './format.js';
import { add, requireBool } from './operators.js';
import { goCompare, goTypeName, isList, isNil, mapGet, mapSet, newMap } from './values.js';

export type Predicate = (item: unknown, index: number, acc: unknown) => unknown;

function collection(name: string, v: unknown): unknown[] {
  if (isList(v)) return v;
  if (isNil(v)) return fail(`invalid argument for ${name} (type <nil>)`);
  return fail(`builtin ${name} takes only array (got ${goTypeName(v)})`);
}

function test(p: Predicate, item: unknown, i: number, name: string): boolean {
  return requireBool(p(item, i, null), `predicate of ${name}`);
}

export function runPredicate(name: string, input: unknown, p: Predicate | undefined, extra: unknown[]): unknown {
  const items = collection(name, input);
  const pred: Predicate = p ?? ((item) => item);
  switch (name) {
    case 'all':
      return items.every((x, i) => test(pred, x, i, name));
    case 'none':
      return !items.some((x, i) => test(pred, x, i, name));
    case 'any':
      return items.some((x, i) => test(pred, x, i, name));
    case 'one':
      return items.filter((x, i) => test(pred, x, i, name)).length === 1;
    case 'filter':
      return items.filter((x, i) => test(pred, x, i, name));
    case 'map':
      return items.map((x, i) => pred(x, i, null));
    case 'find': {
      const i = items.findIndex((x, j) => test(pred, x, j, name));
      return i < 0 ? null : items[i];
    }
    case 'findIndex':
      return BigInt(items.findIndex((x, j) => test(pred, x, j, name)));
    case 'findLast': {
      for (let i = items.length - 1; i >= 0; i--) if (test(pred, items[i], i, name)) return items[i];
      return null;
    }
    case 'findLastIndex': {
      for (let i = items.length - 1; i >= 0; i--) if (test(pred, items[i], i, name)) return BigInt(i);
      return -1n;
    }
    case 'count':
      return BigInt(items.filter((x, i) => test(pred, x, i, name)).length);
    case 'sum': {
      let acc: unknown = 0n;
      items.forEach((x, i) => {
        acc = add(acc, pred(x, i, null));
      });
      return acc;
    }
    case 'groupBy': {
      const out = newMap();
      items.forEach((x, i) => {
        const key = pred(x, i, null);
        const k = typeof key === 'string' ? key : goSprint(key);
        const group = mapGet(out, k);
        if (isList(group)) group.push(x);
        else mapSet(out, k, [x]);
      });
      return out;
    }
    case 'sortBy': {
      const order = extra[0] ?? 'asc';
      if (order !== 'asc' && order !== 'desc') return fail(`invalid order ${goSprint(order)}, expected asc or desc`);
      const keyed = items.map((x, i) => ({ x, key: pred(x, i, null) }));
      keyed.sort((a, b) => (order === 'desc' ? -1 : 1) * goCompare(a.key, b.key, '<'));
      return keyed.map((e) => e.x);
    }
    case 'reduce': {
      const hasInitial = extra.length > 0;
      if (items.length === 0) return hasInitial ? extra[0] : null;
      let acc: unknown = hasInitial ? extra[0] : items[0];
      for (let i = hasInitial ? 0 : 1; i < items.length; i++) acc = pred(items[i], i, acc);
      return acc;
    }
    default:
      return fail(`unknown predicate builtin ${name}`);
  }
}
