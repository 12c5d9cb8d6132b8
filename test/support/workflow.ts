// Test helper: YAML text to a decoded, validated-by-schema Workflow.
import { decodeDocument, parseDocuments, type Workflow } from '../../core/spec/index.js';

export function workflowFromYaml(text: string): Workflow {
  const parsed = parseDocuments(text, 'test.yaml');
  if (parsed.issues.some((i) => i.severity === 'error')) throw new Error(parsed.issues.map((i) => i.message).join('; '));
  const doc = parsed.documents[0];
  const result = decodeDocument(doc);
  if (!result.decoded || result.decoded.kind !== 'Workflow') throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  const wf = result.decoded.value;
  wf.metadata.name ??= 'wf';
  return wf;
}
