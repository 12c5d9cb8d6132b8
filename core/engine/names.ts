// Argo's deterministic node IDs and pod names: IDs are the workflow name plus the FNV-1a
// hash of the node name, so a restarted engine finds the same nodes again.

const encoder = new TextEncoder();

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  if (/^[\x00-\x7f]*$/.test(text)) {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }
  const bytes = encoder.encode(text);
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function nodeIdFor(workflowName: string, nodeName: string): string {
  if (nodeName === workflowName) return workflowName;
  return `${workflowName}-${fnv32a(nodeName)}`;
}

const MAX_POD_PREFIX = 253 - 10 - 1;

/** Argo's v2 pod names: `${workflow}-${template}-${fnv32a(nodeName)}`. */
export function podNameFor(workflowName: string, nodeName: string, templateName: string): string {
  if (workflowName === nodeName) return workflowName;
  let prefix = templateName ? `${workflowName}-${templateName}` : workflowName;
  if (prefix.length > MAX_POD_PREFIX) prefix = prefix.slice(0, MAX_POD_PREFIX);
  return `${prefix}-${fnv32a(nodeName)}`;
}

/** Loop children are named `name(index:description)`, as Argo's generateNodeName does. */
export function loopNodeName(name: string, index: number, description: string): string {
  return `${name}(${index}:${description.replace(/[()]/g, '')})`;
}

export function onExitNodeName(parent: string): string {
  return `${parent}.onExit`;
}

export function hookNodeName(parent: string, hook: string): string {
  return `${parent}.hooks.${hook}`;
}

/** The step or task name inside a node name: `wf[0].a(1:x)` → `a`. */
export function stepOrTaskName(nodeName: string): string {
  let name = nodeName;
  let opener = '';
  for (let i = name.length - 1; i >= 0; i--) {
    const ch = name[i];
    if (ch === opener) opener = '';
    else if (opener !== '') continue;
    else if (ch === ')') opener = '(';
    else if (ch === ']') opener = '[';
    else {
      name = name.slice(0, i + 1);
      break;
    }
  }
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1) : name;
}
