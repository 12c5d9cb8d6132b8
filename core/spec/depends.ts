// The DAG `depends` language (Argo workflow/common/ancestry.go, controller/dag.go):
// task refs `A` or `A.<Result>`, combined with `&&`, `||`, `!` and parentheses. A bare
// `A` means `(A.Succeeded || A.Skipped || A.Daemoned)`; `dependencies: [A, B]` is the
// same as `depends: "A && B"`, widened by each dependency's continueOn. Pure: the
// engine evaluates it against node results it looks up itself.
import { UserError } from './errors.js';

export const TASK_RESULTS = [
  'Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed',
] as const;
export type TaskResult = (typeof TASK_RESULTS)[number];

/** Results a bare task reference accepts. */
export const BARE_TASK_RESULTS: readonly TaskResult[] = ['Succeeded', 'Skipped', 'Daemoned'];

export type DependsExpr =
  | { type: 'task'; task: string; result?: TaskResult }
  | { type: 'not'; expr: DependsExpr }
  | { type: 'and'; left: DependsExpr; right: DependsExpr }
  | { type: 'or'; left: DependsExpr; right: DependsExpr };

function isTaskResult(text: string): text is TaskResult {
  return (TASK_RESULTS as readonly string[]).includes(text);
}

type Token =
  | { kind: 'ref'; task: string; result?: TaskResult; offset: number }
  | { kind: '(' | ')' | '&&' | '||' | '!'; offset: number }
  | { kind: 'end'; offset: number };

// Argo's taskNameRegex: names start alphanumeric and continue with alphanumerics and '-'.
const REF = /^([a-zA-Z0-9][-a-zA-Z0-9]*)(?:\.([A-Za-z]+))?/;

function syntaxError(text: string, offset: number, message: string): UserError {
  return new UserError('WEFT_E_DEPENDS_SYNTAX', `depends "${text}": ${message} at column ${offset + 1}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      tokens.push({ kind: two, offset: i });
      i += 2;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '!') {
      tokens.push({ kind: ch, offset: i });
      i++;
      continue;
    }
    const match = REF.exec(text.slice(i));
    if (!match || match[1] === undefined) throw syntaxError(text, i, `unexpected "${ch}"`);
    const [whole, task, result] = match;
    if (result === undefined) {
      tokens.push({ kind: 'ref', task, offset: i });
    } else if (isTaskResult(result)) {
      tokens.push({ kind: 'ref', task: match[1], result, offset: i });
    } else {
      throw syntaxError(text, i + match[1].length + 1, `task result "${result}" for task "${task}" is not one of ${TASK_RESULTS.join(', ')}`);
    }
    i += whole.length;
  }
  tokens.push({ kind: 'end', offset: text.length });
  return tokens;
}

/** Parses a depends expression; throws UserError WEFT_E_DEPENDS_SYNTAX on bad input. */
export function parseDepends(text: string): DependsExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end', offset: text.length };
  const describe = (token: Token): string => (token.kind === 'end' ? 'end of expression' : token.kind === 'ref' ? `"${token.task}"` : `"${token.kind}"`);

  // Precedence as in expr-lang/govaluate: ! binds tighter than &&, which binds tighter than ||.
  const parseOr = (): DependsExpr => {
    let left = parseAnd();
    while (peek().kind === '||') {
      pos++;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): DependsExpr => {
    let left = parseUnary();
    while (peek().kind === '&&') {
      pos++;
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): DependsExpr => {
    const token = peek();
    if (token.kind === '!') {
      pos++;
      return { type: 'not', expr: parseUnary() };
    }
    if (token.kind === '(') {
      pos++;
      const inner = parseOr();
      const close = peek();
      if (close.kind !== ')') throw syntaxError(text, close.offset, `expected ")" but found ${describe(close)}`);
      pos++;
      return inner;
    }
    if (token.kind === 'ref') {
      pos++;
      return token.result === undefined ? { type: 'task', task: token.task } : { type: 'task', task: token.task, result: token.result };
    }
    throw syntaxError(text, token.offset, `expected a task name, "!" or "(" but found ${describe(token)}`);
  };

  const expr = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw syntaxError(text, rest.offset, `unexpected ${describe(rest)}`);
  return expr;
}

/** The tasks an expression depends on, in first-mention order, each once. */
export function dependsTasks(expr: DependsExpr): string[] {
  const out: string[] = [];
  const visit = (e: DependsExpr): void => {
    switch (e.type) {
      case 'task':
        if (!out.includes(e.task)) out.push(e.task);
        return;
      case 'not':
        visit(e.expr);
        return;
      case 'and':
      case 'or':
        visit(e.left);
        visit(e.right);
        return;
    }
  };
  visit(expr);
  return out;
}

/** Tasks referenced with .AnySucceeded or .AllFailed: Argo requires them to be loops. */
export function itemResultTasks(expr: DependsExpr): string[] {
  const out: string[] = [];
  const visit = (e: DependsExpr): void => {
    if (e.type === 'task') {
      if ((e.result === 'AnySucceeded' || e.result === 'AllFailed') && !out.includes(e.task)) out.push(e.task);
    } else if (e.type === 'not') visit(e.expr);
    else {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(expr);
  return out;
}

/**
 * Evaluates expr. `result(task, selector)` answers whether the finished dependency `task`
 * has that result; a bare reference asks for Succeeded, Skipped and Daemoned.
 */
export function evaluateDepends(expr: DependsExpr, result: (task: string, selector: TaskResult) => boolean): boolean {
  switch (expr.type) {
    case 'task':
      return expr.result === undefined
        ? BARE_TASK_RESULTS.some((selector) => result(expr.task, selector))
        : result(expr.task, expr.result);
    case 'not':
      return !evaluateDepends(expr.expr, result);
    case 'and':
      return evaluateDepends(expr.left, result) && evaluateDepends(expr.right, result);
    case 'or':
      return evaluateDepends(expr.left, result) || evaluateDepends(expr.right, result);
  }
}

/** Prints expr so that parseDepends(formatDepends(e)) is structurally equal to e. */
export function formatDepends(expr: DependsExpr): string {
  switch (expr.type) {
    case 'task':
      return expr.result === undefined ? expr.task : `${expr.task}.${expr.result}`;
    case 'not':
      return `!${wrap(expr.expr, 'not')}`;
    case 'and':
      return `${wrap(expr.left, 'and')} && ${wrap(expr.right, 'and', true)}`;
    case 'or':
      return `${wrap(expr.left, 'or')} || ${wrap(expr.right, 'or', true)}`;
  }
}

const PRECEDENCE: Record<DependsExpr['type'], number> = { or: 1, and: 2, not: 3, task: 4 };

function wrap(expr: DependsExpr, parent: DependsExpr['type'], right = false): string {
  const text = formatDepends(expr);
  // Left-associative: a right operand of the same precedence needs parentheses to keep its shape.
  const needs = PRECEDENCE[expr.type] < PRECEDENCE[parent] || (right && PRECEDENCE[expr.type] === PRECEDENCE[parent]);
  return needs ? `(${text})` : text;
}

/** What a task's dependency on `dep` accepts when written in `dependencies:` (Argo's expandDependency). */
function expandDependency(dep: string, continueOn: { error?: boolean | undefined; failed?: boolean | undefined } | undefined): DependsExpr {
  const results: TaskResult[] = [...BARE_TASK_RESULTS];
  if (continueOn?.error) results.push('Errored');
  if (continueOn?.failed) results.push('Failed');
  return results
    .map((result): DependsExpr => ({ type: 'task', task: dep, result }))
    .reduce((left, right) => ({ type: 'or', left, right }));
}

export interface DependsSource {
  name: string;
  depends?: string | undefined;
  dependencies?: string[] | undefined;
  continueOn?: { error?: boolean | undefined; failed?: boolean | undefined } | undefined;
}

/**
 * The expression that gates task in its DAG: its `depends`, or its `dependencies`
 * joined with && and widened by each dependency's continueOn. Undefined for a root task.
 * Throws UserError WEFT_E_DEPENDS_SYNTAX for a bad `depends`.
 */
export function taskDependsExpr(task: DependsSource, tasks: readonly DependsSource[]): DependsExpr | undefined {
  if (task.depends !== undefined && task.depends.trim() !== '') return parseDepends(task.depends);
  const deps = task.dependencies ?? [];
  if (deps.length === 0) return undefined;
  return deps
    .map((dep) => expandDependency(dep, tasks.find((t) => t.name === dep)?.continueOn))
    .reduce((left, right) => ({ type: 'and', left, right }));
}
