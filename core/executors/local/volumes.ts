// Pod volumes as host directories: emptyDir per step, persistentVolumeClaim and
// volumeClaimTemplates per run (shared by every step of it), configMap/secret files
// written from ValueSources, hostPath as is. As Argo does, only the volumes a
// container of the template mounts are prepared.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../spec/index.js';
import type { Volume, VolumeMount } from '../../spec/index.js';
import type { StepRequest } from '../types.js';
import type { LocalLogger } from './config.js';
import { expandKubernetesVars } from './command.js';
import { listKeys } from './env.js';

export const LOCAL_VOLUME_ERROR = 'WEFT_E_LOCAL_VOLUME';

export interface HostVolume {
  name: string;
  hostPath: string;
  readOnly: boolean;
}

/** A volumeMount resolved to the host directory (or file, with subPath) it shows. */
export interface HostMount {
  source: string;
  dest: string;
  readOnly: boolean;
}

type KeyToPath = { key: string; path: string; mode?: number | undefined };

export class PodVolumes {
  private readonly prepared = new Map<string, Promise<HostVolume>>();
  private readonly declared = new Map<string, Volume>();

  constructor(
    private readonly request: Pick<StepRequest, 'volumes' | 'volumeClaims' | 'template' | 'runDir' | 'values' | 'workflow'>,
    private readonly stepDir: string,
    private readonly logger: LocalLogger,
  ) {
    for (const volume of [...request.volumes, ...(request.template.volumes ?? [])]) this.declared.set(volume.name, volume);
  }

  /** Resolves a container's mounts; `env` expands subPathExpr. */
  async mounts(volumeMounts: VolumeMount[], env: Record<string, string>): Promise<HostMount[]> {
    const out: HostMount[] = [];
    for (const mount of volumeMounts) {
      const volume = await this.volume(mount.name);
      const sub = mount.subPath ?? (mount.subPathExpr ? expandKubernetesVars(mount.subPathExpr, env) : '');
      const source = sub ? path.join(volume.hostPath, ...safeSegments(sub, `volumeMounts ${mount.name}.subPath`)) : volume.hostPath;
      if (sub) await mkdir(source, { recursive: true });
      out.push({ source, dest: mount.mountPath, readOnly: mount.readOnly === true || volume.readOnly });
    }
    return out;
  }

  private volume(name: string): Promise<HostVolume> {
    let ready = this.prepared.get(name);
    if (!ready) {
      ready = this.prepare(name);
      this.prepared.set(name, ready);
    }
    return ready;
  }

  private async prepare(name: string): Promise<HostVolume> {
    const volume = this.declared.get(name);
    const own = path.join(this.stepDir, 'volumes', name);
    if (!volume) {
      if (this.request.volumeClaims.some((claim) => claim.metadata.name === name)) {
        return this.directory(name, path.join(this.request.runDir, 'volume-claims', name), false);
      }
      throw new UserError(
        LOCAL_VOLUME_ERROR,
        `volumeMounts ${name}: no volume named "${name}" in the template's volumes, spec.volumes or spec.volumeClaimTemplates`,
      );
    }
    if (volume.emptyDir) return this.directory(name, own, false);
    if (volume.persistentVolumeClaim) {
      const claim = volume.persistentVolumeClaim;
      const dir = path.join(this.request.runDir, 'persistent-volume-claims', ...safeSegments(claim.claimName, 'claimName'));
      return this.directory(name, dir, claim.readOnly === true);
    }
    if (volume.hostPath) return { name, hostPath: volume.hostPath.path, readOnly: false };
    if (volume.configMap) {
      const cm = volume.configMap;
      await this.writeKeys(own, 'configMap', cm.name ?? '', cm.items, cm.defaultMode, cm.optional === true);
      return { name, hostPath: own, readOnly: true };
    }
    if (volume.secret) {
      const s = volume.secret;
      await this.writeKeys(own, 'secret', s.secretName ?? '', s.items, s.defaultMode, s.optional === true);
      return { name, hostPath: own, readOnly: true };
    }
    const kind = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
    this.logger.warn({ volume: name, kind }, 'volume kind not supported by the local executor; mounting an empty directory');
    return this.directory(name, own, false);
  }

  private async directory(name: string, dir: string, readOnly: boolean): Promise<HostVolume> {
    await mkdir(dir, { recursive: true });
    return { name, hostPath: dir, readOnly };
  }

  private async writeKeys(
    dir: string,
    kind: 'configMap' | 'secret',
    source: string,
    items: KeyToPath[] | undefined,
    defaultMode: number | undefined,
    optional: boolean,
  ): Promise<void> {
    await mkdir(dir, { recursive: true });
    const { values, workflow } = this.request;
    const label = kind === 'secret' ? 'Secret' : 'ConfigMap';
    const keys: KeyToPath[] | undefined = items ?? listKeys(values, kind, source)?.map((key) => ({ key, path: key }));
    if (!keys) {
      if (optional) return;
      throw new UserError(LOCAL_VOLUME_ERROR, `${label} ${workflow.namespace}/${source} not found (or its keys cannot be listed)`);
    }
    for (const item of keys) {
      const value = kind === 'secret' ? values.secret(source, item.key) : values.configMap(source, item.key);
      if (value === undefined) {
        if (optional) continue;
        throw new UserError(LOCAL_VOLUME_ERROR, `couldn't find key ${item.key} in ${label} ${workflow.namespace}/${source}`);
      }
      const file = path.join(dir, ...safeSegments(item.path, `${kind} item ${item.key}`));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, value);
      await chmod(file, item.mode ?? defaultMode ?? 0o644); // writeFile's mode is subject to the umask
    }
  }
}

function safeSegments(relative: string, what: string): string[] {
  const segments = relative.split('/').filter((s) => s !== '' && s !== '.');
  if (relative.startsWith('/') || segments.includes('..')) {
    throw new UserError(LOCAL_VOLUME_ERROR, `${what} "${relative}" must be a relative path without '..'`);
  }
  return segments;
}
