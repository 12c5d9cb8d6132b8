// The expr-lang syntax tree, shaped like github.com/expr-lang/expr/ast so that Argo's
// identifier walk (hasVarInEnv over IdentifierNode and MemberNode paths) can be mirrored.
export type Node =
  | { k: 'nil'; pos: number }
  | { k: 'bool'; value: boolean; pos: number }
  | { k: 'int'; value: bigint; pos: number }
  | { k: 'float'; value: number; pos: number }
  | { k: 'string'; value: string; pos: number }
  | { k: 'ident'; name: string; pos: number }
  /** `#`, `#index`, `#acc` inside a predicate; name '' is the element itself. */
  | { k: 'pointer'; name: string; pos: number }
  | { k: 'member'; node: Node; property: Node; optional: boolean; method: boolean; pos: number }
  | { k: 'slice'; node: Node; from: Node | undefined; to: Node | undefined; pos: number }
  | { k: 'call'; callee: Node; args: Node[]; pos: number }
  | { k: 'builtin'; name: string; args: Node[]; pos: number }
  | { k: 'predicate'; body: Node; pos: number }
  | { k: 'unary'; op: string; node: Node; pos: number }
  | { k: 'binary'; op: string; left: Node; right: Node; pos: number }
  | { k: 'cond'; cond: Node; then: Node; else: Node; pos: number }
  | { k: 'array'; items: Node[]; pos: number }
  | { k: 'map'; pairs: { key: Node; value: Node }[]; pos: number }
  | { k: 'let'; name: string; value: Node; body: Node; pos: number }
  | { k: 'seq'; nodes: Node[]; pos: number }
  /** Boundary of an optional chain: a nil short-circuit inside stops here and yields nil. */
  | { k: 'chain'; node: Node; pos: number };

export type NodeOf<K extends Node['k']> = Extract<Node, { k: K }>;

/** Calls f on each direct child of node. */
export function forEachChild(node: Node, f: (child: Node) => void): void {
  switch (node.k) {
    case 'member': f(node.node); f(node.property); return;
    case 'slice': f(node.node); if (node.from) f(node.from); if (node.to) f(node.to); return;
    case 'call': f(node.callee); node.args.forEach(f); return;
    case 'builtin': node.args.forEach(f); return;
    case 'predicate': case 'chain': case 'unary': f(node.k === 'predicate' ? node.body : node.node); return;
    case 'binary': f(node.left); f(node.right); return;
    case 'cond': f(node.cond); f(node.then); f(node.else); return;
    case 'array': node.items.forEach(f); return;
    case 'map': node.pairs.forEach((p) => { f(p.key); f(p.value); }); return;
    case 'let': f(node.value); f(node.body); return;
    case 'seq': node.nodes.forEach(f); return;
    default: return;
  }
}
