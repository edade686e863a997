import { parseAllDocuments } from 'yaml';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import type { EntityApplicationsResponse } from '@epicshelter/plugin-argocd-common';
import type { DecommissionStep } from '@epicshelter/plugin-environments-common';
import {
  ANNOTATION_ARGOCD_SYNC_OPTIONS,
  ANNOTATION_CROSSPLANE_PAUSED,
  ANNOTATION_ORPHANED_FROM,
  ORPHAN_SYNC_OPTIONS,
  argoApplicationNames,
} from '@epicshelter/plugin-gitops-common';

/** An object the protect step of a decommission marks: `Kind/name`, and whether Crossplane pauses it. */
export interface MarkedObject {
  key: string;
  /** An orphaned XR or claim (paused); otherwise its namespace (Argo CD marks only). */
  paused: boolean;
}

/**
 * The objects of environment `env` whose documents (files of its folder,
 * `path → content`) carry the protect step's marks: Argo CD
 * `Delete=false,Prune=false` and `epicshelter.io/orphaned-from: <env>`
 * (and `crossplane.io/paused` for the kept XRs and claims).
 */
export function markedObjects(
  files: Record<string, string>,
  env: string,
): MarkedObject[] {
  const found: MarkedObject[] = [];
  for (const [file, content] of Object.entries(files)) {
    if (!/\.ya?ml$/.test(file)) continue;
    for (const doc of parseAllDocuments(content)) {
      const v = doc.toJS() as {
        kind?: unknown;
        metadata?: { name?: unknown; annotations?: Record<string, unknown> };
      } | null;
      const a = v?.metadata?.annotations ?? {};
      if (
        typeof v?.kind !== 'string' ||
        typeof v.metadata?.name !== 'string' ||
        a[ANNOTATION_ORPHANED_FROM] !== env ||
        a[ANNOTATION_ARGOCD_SYNC_OPTIONS] !== ORPHAN_SYNC_OPTIONS
      ) {
        continue;
      }
      found.push({
        key: `${v.kind}/${v.metadata.name}`,
        paused: a[ANNOTATION_CROSSPLANE_PAUSED] === 'true',
      });
    }
  }
  return found.sort((x, y) => (x.key < y.key ? -1 : 1));
}

/** What the protect step is computed from. */
export interface ProtectionInput {
  environment: string;
  /** Objects marked on the head of the default branch (the environment still there). */
  marked: MarkedObject[];
  /** Objects marked on the proposed change's branch, while it is not merged. */
  proposed: MarkedObject[];
  /** The orphan records on the head (`Kind/name`): the removal is merged. */
  orphaned: string[];
  /** The environment's folder is gone from the head. */
  removed: boolean;
  /** The head commit. */
  head?: string;
  /** The infrastructure application's revision holds every mark (read by the caller). */
  syncedWithMarks?: boolean;
  applications?: EntityApplicationsResponse;
  resources?: CrossplaneResourcesResponse;
}

const short = (sha?: string) => (sha ? sha.slice(0, 7) : '?');
const base = { id: 'protected' as const, title: 'Kept resources protected' };

/**
 * The protect step of a decommission that keeps (orphans) something, or
 * undefined when nothing is kept. It is done only when the live objects
 * carry the protection: the infrastructure application is Synced at a
 * revision holding the marks, and every kept XR or claim is live and
 * paused (its marks arrive in one apply, so a paused one carries Argo CD's
 * `Delete=false` too). Only then may the removal be proposed.
 */
export function protectionStep(
  input: ProtectionInput,
): DecommissionStep | undefined {
  const { environment: env } = input;
  if (input.removed) {
    return input.orphaned.length > 0
      ? {
          ...base,
          state: 'done',
          message: `Protected before the removal; kept: ${input.orphaned.join(
            ', ',
          )} (records under orphaned/${env}/)`,
        }
      : undefined;
  }
  if (input.marked.length === 0) {
    return input.proposed.length > 0
      ? {
          ...base,
          state: 'pending',
          message: `Protection of ${input.proposed
            .map(o => o.key)
            .join(', ')} is proposed; waiting for it to be merged`,
        }
      : undefined;
  }
  const app = argoApplicationNames(env).infrastructure;
  const live = input.applications?.items.find(a => a.name === app);
  if (!input.applications || !input.resources) {
    return {
      ...base,
      state: 'unknown',
      message:
        'Whether the live objects carry the protection could not be read',
    };
  }
  if (!live) {
    return {
      ...base,
      state: 'pending',
      message: `Application ${app} is not found; the protection cannot be confirmed`,
    };
  }
  if (live.syncStatus !== 'Synced' || !input.syncedWithMarks) {
    return {
      ...base,
      state: 'pending',
      message: `Waiting for Argo CD to sync ${app} with the protection (head ${short(
        input.head,
      )}; the application is ${live.syncStatus} at ${short(live.revision)})`,
    };
  }
  const nodes = input.resources.clusters.flatMap(c => c.nodes);
  const missing = input.marked
    .filter(o => o.paused)
    .filter(o => {
      const n = nodes.find(x => `${x.kind}/${x.name}` === o.key);
      return n?.status.health !== 'paused';
    });
  if (missing.length > 0) {
    return {
      ...base,
      state: 'pending',
      message: `Waiting for the live objects to carry the protection: ${missing
        .map(o => o.key)
        .join(', ')} not paused yet`,
    };
  }
  return {
    ...base,
    state: 'done',
    message: `Argo CD synced ${app} at ${short(
      live.revision,
    )} with the protection; ${input.marked
      .map(o => o.key)
      .join(', ')} will not be deleted. The removal can be proposed now.`,
  };
}
