// DAG rules: task names unique, `dependencies`/`depends` name existing tasks and form
// no cycle, `depends` parses, items-only results (AnySucceeded/AllFailed) name loops,
// targets exist, and a task's arguments only read outputs of its ancestors.
import { itemResultTasks, taskDependsExpr, dependsTasks, type DependsExpr } from '../depends.js';
import { WeftError } from '../errors.js';
import type { FieldPath } from '../path.js';
import type { DAGTask, Template } from '../schema/template.js';
import type { SpecContext } from './spec-context.js';
import { allTemplates, fieldNameProblem } from './spec-context.js';
import { checkArguments, checkHolder, checkHooks, checkLoop } from './templates.js';

/** Each task's direct dependencies; tasks whose depends does not parse map to []. */
export function dagDependencies(tasks: readonly DAGTask[]): Map<string, string[]> {
  const deps = new Map<string, string[]>();
  for (const task of tasks) {
    let expr: DependsExpr | undefined;
    try {
      expr = taskDependsExpr(task, tasks);
    } catch (err) {
      if (!(err instanceof WeftError)) throw err;
    }
    deps.set(task.name, expr ? dependsTasks(expr) : []);
  }
  return deps;
}

/** All tasks task transitively depends on (Argo's GetTaskAncestry, without the time order). */
export function taskAncestry(task: string, deps: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(deps.get(task) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || seen.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return seen;
}

/** One cycle as a path A -> B -> A, or undefined. */
export function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      if (!deps.has(dep)) continue; // unknown deps are reported separately
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of deps.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

const TASK_REF = /^\{\{\s*tasks\.([^.}\s]+)\./;

function checkDag(ctx: SpecContext, template: Template, path: FieldPath): void {
  const dag = template.dag;
  if (!dag) return;
  const base = [...path, 'dag'];
  const tasks = dag.tasks;
  if (tasks.length === 0) {
    ctx.reporter.error([...base, 'tasks'], 'WEFT_E_DAG_EMPTY', 'a dag needs at least one task');
    return;
  }
  const byName = new Map<string, DAGTask>();
  const usingDepends = tasks.some((t) => t.depends !== undefined && t.depends !== '');
  tasks.forEach((task, i) => {
    const at = [...base, 'tasks', i];
    const why = fieldNameProblem(task.name);
    if (why) ctx.reporter.error([...at, 'name'], 'WEFT_E_INVALID_NAME', `task name "${task.name}" ${why}`);
    if (byName.has(task.name)) ctx.reporter.error([...at, 'name'], 'WEFT_E_DUPLICATE_TASK', `task name "${task.name}" is not unique in template "${template.name ?? ''}"`);
    byName.set(task.name, task);
    if ((usingDepends || (task.dependencies?.length ?? 0) > 0) && /^[0-9]/.test(task.name)) {
      ctx.reporter.error([...at, 'name'], 'WEFT_E_INVALID_NAME', `task name "${task.name}" cannot begin with a digit when the dag uses depends or dependencies`);
    }
    if (usingDepends && (task.dependencies?.length ?? 0) > 0) {
      ctx.reporter.error([...at, 'dependencies'], 'WEFT_E_DAG_DEPENDS_AND_DEPENDENCIES', 'a dag cannot mix depends and dependencies: write this task\'s dependencies as depends');
    }
    if (usingDepends && task.continueOn !== undefined) {
      ctx.reporter.error([...at, 'continueOn'], 'WEFT_E_DAG_CONTINUE_ON', 'continueOn cannot be used in a dag that uses depends: use "dep.Failed" / "dep.Errored" in depends instead');
    }
  });
  tasks.forEach((task, i) => {
    const at = [...base, 'tasks', i];
    checkHolder(ctx, task, at);
    checkArguments(ctx, task.arguments, [...at, 'arguments'], false);
    checkLoop(ctx, task, at);
    checkHooks(ctx, task.hooks, [...at, 'hooks']);
    if (task.onExit !== undefined) checkHolder(ctx, { template: task.onExit }, [...at, 'onExit']);
    (task.dependencies ?? []).forEach((dep) => {
      if (!byName.has(dep)) ctx.reporter.error([...at, 'dependencies'], 'WEFT_E_DAG_UNKNOWN_DEP', `unknown task "${dep}"`);
    });
    if (task.depends !== undefined && task.depends !== '') {
      let expr: DependsExpr | undefined;
      try {
        expr = taskDependsExpr(task, tasks);
      } catch (err) {
        if (!(err instanceof WeftError)) throw err;
        ctx.reporter.error([...at, 'depends'], err.code, err.message);
      }
      if (expr) {
        for (const dep of dependsTasks(expr)) {
          if (!byName.has(dep)) ctx.reporter.error([...at, 'depends'], 'WEFT_E_DAG_UNKNOWN_DEP', `unknown task "${dep}"`);
        }
        for (const dep of itemResultTasks(expr)) {
          const target = byName.get(dep);
          if (target && target.withItems === undefined && target.withParam === undefined && target.withSequence === undefined) {
            ctx.reporter.error([...at, 'depends'], 'WEFT_E_DAG_ITEMS_RESULT', `"${dep}" uses .AnySucceeded/.AllFailed but task "${dep}" has no withItems, withParam or withSequence`);
          }
        }
      }
    }
  });
  const deps = dagDependencies(tasks);
  const cycle = findCycle(deps);
  if (cycle) {
    const first = cycle[0] ?? '';
    const index = tasks.findIndex((t) => t.name === first);
    const field = tasks[index]?.depends !== undefined ? 'depends' : 'dependencies';
    ctx.reporter.error([...base, 'tasks', index, field], 'WEFT_E_DAG_CYCLE', `dependency cycle: ${cycle.join(' -> ')}`);
  }
  if (dag.target !== undefined && dag.target !== '') {
    for (const target of dag.target.split(' ')) {
      if (target === '' || /\{\{.*\}\}/.test(target)) continue;
      if (!byName.has(target)) ctx.reporter.error([...base, 'target'], 'WEFT_E_DAG_TARGET', `target "${target}" is not a task of this dag`);
    }
  }
  // Argo's validateDAGTaskArgumentDependency: an argument that reads {{tasks.X...}} needs X as an ancestor.
  if (!cycle) {
    tasks.forEach((task, i) => {
      const ancestors = taskAncestry(task.name, deps);
      const check = (value: string | undefined, at: FieldPath, what: string): void => {
        const ref = value === undefined ? undefined : TASK_REF.exec(value)?.[1];
        if (ref !== undefined && byName.has(ref) && !ancestors.has(ref)) {
          ctx.reporter.error(at, 'WEFT_E_DAG_MISSING_DEPENDENCY', `${what} reads task "${ref}", which task "${task.name}" does not depend on`);
        }
      };
      (task.arguments?.parameters ?? []).forEach((p, j) => check(p.value, [...base, 'tasks', i, 'arguments', 'parameters', j, 'value'], `parameter "${p.name}"`));
      (task.arguments?.artifacts ?? []).forEach((a, j) => check(a.from, [...base, 'tasks', i, 'arguments', 'artifacts', j, 'from'], `artifact "${a.name}"`));
    });
  }
}

export function checkDags(ctx: SpecContext): void {
  for (const { template, path } of allTemplates(ctx.spec, ctx.base)) checkDag(ctx, template, path);
}
