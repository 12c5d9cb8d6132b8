// The contract between the runtime and every way of running one node: a StepExecutor
// receives a fully substituted template and reports one outcome. Executors never touch
// workflow status; the runtime turns the outcome into an engine event.
import type { Artifact, Outputs, Template, Volume, PersistentVolumeClaim } from '../spec/index.js';
import type { StepSignal } from './signal.js';

export type StepPhase = 'Succeeded' | 'Failed' | 'Error';

export interface WorkflowIdentity {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface NodeIdentity {
  id: string;
  name: string; // Argo node name, e.g. wf[0].step
  displayName: string;
  podName: string; // Argo's pod name for this node (used in artifact keys and logs)
}

/** Reads Secret/ConfigMap values loaded with --load, stored through the API or synced. */
export interface ValueSources {
  /** The value of data[key] of Secret `name`; undefined when absent. Never log the result. */
  secret(name: string, key: string): string | undefined;
  configMap(name: string, key: string): string | undefined;
  /** Keys of Secret `name` (envFrom, secret volumes without items); undefined when absent. */
  secretKeys?(name: string): string[] | undefined;
  configMapKeys?(name: string): string[] | undefined;
}

/** Where artifacts live between steps (local filesystem by default). */
export interface ArtifactRepository {
  /** Stores the file or directory at hostPath under key, as a .tgz unless archive is none. */
  save(key: string, hostPath: string, archive: 'tar' | 'none'): Promise<void>;
  /** Places the artifact stored under key at hostPath (a file or directory, as saved). */
  load(key: string, hostPath: string): Promise<void>;
  has(key: string): Promise<boolean>;
}

export type LogStream = 'stdout' | 'stderr';

export interface StepRequest {
  workflow: WorkflowIdentity;
  node: NodeIdentity;
  /** The template with every {{...}} already substituted, inputs filled in. */
  template: Template;
  /** Default key prefix for output artifacts without their own key: `${wf}/${podName}`. */
  artifactKeyPrefix: string;
  artifacts: ArtifactRepository;
  values: ValueSources;
  /** Host directory private to this run; run-scoped data (PVC-backed volumes) lives here. */
  runDir: string;
  /** Workflow-level spec.volumes, merged with the template's own by the executor. */
  volumes: Volume[];
  /** spec.volumeClaimTemplates: claims shared by every step of the run (a host dir each). */
  volumeClaims: PersistentVolumeClaim[];
  /** Aborted on stop/terminate/deadline: the executor must end all it started, then resolve. */
  signal: StepSignal;
  log(stream: LogStream, text: string): void;
  /** Daemon templates: called once the daemon is up, the step's outcome comes later. */
  daemoned?(): void;
}

export interface StepOutcome {
  phase: StepPhase;
  message?: string;
  exitCode?: number;
  /** Argo-shaped outputs: result, exitCode, parameters (values read), artifacts (saved). */
  outputs?: Outputs;
  /** containerSet templates: one entry per container, in start order. */
  containers?: ContainerOutcome[];
}

export interface ContainerOutcome {
  name: string;
  phase: StepPhase | 'Omitted';
  exitCode?: number;
  message?: string;
  startedAt?: string; // RFC 3339
  finishedAt?: string;
}

export interface StepExecutor {
  readonly name: string;
  execute(request: StepRequest): Promise<StepOutcome>;
}

/** An artifact as recorded in status after saving: Argo's shape plus where it is stored. */
export type StoredArtifact = Artifact;
