// A running DAG's view of its template: the task table and parsed dependencies (cached per
// template object across passes), and task node names and ids under its boundary node.
import type { DAGTask, Template } from '../spec/index.js';
import { parseDepends, dependsTasks, type DependsExpr } from '../spec/index.js';
import type { Operation } from './context.js';
import type { TemplateContext } from './templates.js';
import type { NodeStatus } from './types.js';

interface DagShape {
  tasks: Map<string, DAGTask>;
  deps: Map<string, { names: string[]; logic?: DependsExpr }>;
  leaves?: string[];
  /** Node ids of the task nodes, per boundary node name (a template may run in many places). */
  ids: Map<string, Map<string, string>>;
}

// The task table and parsed dependencies of a DAG template, reused across passes: the
// (processed) template object is the same while its inputs are.
const shapes = new WeakMap<Template, DagShape>();

function shapeOf(tmpl: Template): DagShape {
  let shape = shapes.get(tmpl);
  if (!shape) {
    shape = { tasks: new Map(), deps: new Map(), ids: new Map() };
    for (const t of tmpl.dag?.tasks ?? []) shape.tasks.set(t.name ?? '', t);
    shapes.set(tmpl, shape);
  }
  return shape;
}

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
    return this.op.status.nodes[this.taskNodeId(task)];
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

