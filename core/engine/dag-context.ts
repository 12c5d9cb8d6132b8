// A running DAG's view of its template: the task table and parsed dependencies (cached per
// template object across passes), and task node names and ids under its boundary node.
import type { DAGTask, Template } from '../spec/index.js';
import { parseDepends, dependsTasks, type DependsExpr } from '../spec/index.js';
import type { Operation } from './context.js';
import { stepJson } from './references.js';
import type { TemplateContext } from './templates.js';
import type { NodeStatus } from './types.js';

/**
 * The tasks a DAG reaches from its targets, in the order a full pass executes them (each
 * task after its dependencies, as executeTask's recursion does), with edges by index.
 */
export interface VisitOrder {
  names: string[];
  /** Distinct dependencies of each task that are tasks of this DAG. */
  deps: number[][];
  /** Dependencies naming no task: such a task waits forever, as in a full pass. */
  unknownDeps: number[];
  dependents: number[][];
  /** Tasks with hooks or onExit: visited on every pass, even when finished. */
  hooked: boolean[];
  /** Position in the template's task list. */
  templateIndex: number[];
}

interface DagShape {
  tasks: Map<string, DAGTask>;
  deps: Map<string, { names: string[]; logic?: DependsExpr }>;
  leaves?: string[];
  orders: Map<string, VisitOrder>;
  /** Per task: the `tasks.X` it mentions, or 'all' when it may name any (expressions, index syntax). */
  mentions: Map<string, Set<string> | 'all'>;
  /** Node ids of the task nodes, per boundary node name (a template may run in many places). */
  ids: Map<string, Map<string, string>>;
}

// The task table and parsed dependencies of a DAG template, reused across passes: the
// (processed) template object is the same while its inputs are.
const shapes = new WeakMap<Template, DagShape>();

function shapeOf(tmpl: Template): DagShape {
  let shape = shapes.get(tmpl);
  if (!shape) {
    shape = { tasks: new Map(), deps: new Map(), ids: new Map(), orders: new Map(), mentions: new Map() };
    for (const t of tmpl.dag?.tasks ?? []) shape.tasks.set(t.name ?? '', t);
    shapes.set(tmpl, shape);
  }
  return shape;
}

const NONE: Set<string> = new Set();

export class DagContext {
  readonly tasks: Map<string, DAGTask>;
  readonly visited = new Set<string>();
  private readonly deps: Map<string, { names: string[]; logic?: DependsExpr }>;
  readonly shape: DagShape;

  constructor(
    readonly op: Operation, readonly boundaryName: string, readonly boundaryID: string, readonly tmpl: Template,
    readonly ctx: TemplateContext, readonly onExit: boolean, readonly scopeString: string,
  ) {
    this.shape = shapeOf(tmpl);
    this.tasks = this.shape.tasks;
    this.deps = this.shape.deps;
  }

  task(name: string): DAGTask {
    const t = this.tasks.get(name);
    if (!t) throw new Error(`target ${name} does not exist`);
    return t;
  }

  taskNodeName(task: string): string {
    return `${this.boundaryName}.${task}`;
  }

  private idMap: Map<string, string> | undefined;

  taskNodeId(task: string): string {
    if (!this.idMap) {
      this.idMap = this.shape.ids.get(this.boundaryName);
      if (!this.idMap) {
        this.idMap = new Map();
        this.shape.ids.set(this.boundaryName, this.idMap);
      }
    }
    let id = this.idMap.get(task);
    if (id === undefined) {
      id = this.op.nodeId(this.taskNodeName(task));
      this.idMap.set(task, id);
    }
    return id;
  }

  taskNode(task: string): NodeStatus | undefined {
    return this.op.nodeById(this.taskNodeId(task));
  }

  dependencies(task: string): { names: string[]; logic?: DependsExpr } {
    let d = this.deps.get(task);
    if (!d) {
      const t = this.task(task);
      if (t.depends) {
        const logic = parseDepends(t.depends);
        d = { names: dependsTasks(logic), logic };
      } else {
        d = { names: [...(t.dependencies ?? [])] };
      }
      this.deps.set(task, d);
    }
    return d;
  }

  /** The visit order for these targets (cached with the template). */
  visitOrder(targets: string[]): VisitOrder {
    const key = targets.join(' ');
    let order = this.shape.orders.get(key);
    if (order) return order;
    const names: string[] = [];
    const index = new Map<string, number>();
    const visit = (t: string): void => {
      if (index.has(t) || !this.tasks.has(t)) return;
      index.set(t, -1);
      for (const dep of this.dependencies(t).names) visit(dep);
      index.set(t, names.length);
      names.push(t);
    };
    for (const t of targets) visit(t);
    const templatePos = new Map<string, number>();
    let pos = 0;
    for (const name of this.tasks.keys()) templatePos.set(name, pos++);
    order = { names, deps: [], unknownDeps: [], dependents: names.map(() => []), hooked: [], templateIndex: [] };
    for (let i = 0; i < names.length; i++) {
      const task = this.task(names[i]);
      const known: number[] = [];
      let unknown = 0;
      for (const d of new Set(this.dependencies(names[i]).names)) {
        const at = index.get(d);
        if (at === undefined) unknown++;
        else known.push(at);
      }
      order.deps.push(known);
      order.unknownDeps.push(unknown);
      for (const d of known) order.dependents[d].push(i);
      order.hooked.push(task.hooks !== undefined || task.onExit !== undefined);
      order.templateIndex.push(templatePos.get(names[i]) ?? 0);
    }
    this.shape.orders.set(key, order);
    return order;
  }

  /** The ancestors a task's scope needs: those it mentions, or all of them. */
  mentions(task: string): Set<string> | 'all' {
    let m = this.shape.mentions.get(task);
    if (m === undefined) {
      const text = stepJson(this.task(task));
      const all = text.includes('{{=') || text.includes('tasks[') || text.includes('tasks.outputs');
      m = all ? 'all' : text.includes('tasks.') ? new Set([...text.matchAll(/tasks\.([A-Za-z0-9_-]+)/g)].map((x) => x[1])) : NONE;
      this.shape.mentions.set(task, m);
    }
    return m;
  }

  /** All tasks this one transitively depends on (for its scope), in dependency order. */
  ancestors(task: string): string[] {
    const seen = new Set<string>();
    const order: string[] = [];
    const visit = (t: string): void => {
      for (const dep of this.dependencies(t).names) {
        if (seen.has(dep) || !this.tasks.has(dep)) continue;
        seen.add(dep);
        visit(dep);
        order.push(dep);
      }
    };
    visit(task);
    return order;
  }
}

