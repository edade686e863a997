import { Entity } from '@backstage/catalog-model';
import type { EnvironmentExpiry } from './expiry/ttl';

/** `spec.type` of the Resource entity that stands for an environment. @public */
export const ENVIRONMENT_RESOURCE_TYPE = 'environment';

/*
 * The Epicshelter vocabulary: every annotation and label key that names a
 * concept shared by several packages is declared here and only here; the
 * gitops, argocd and crossplane packages import (and may re-export) these
 * constants. `vocabulary.test.ts` fails when another package's source spells
 * one of these keys out again.
 */

/**
 * Label naming the environment an object belongs to: written by the GitOps
 * generator on every generated object and by the ApplicationSets on each Argo
 * CD Application they generate.
 * @public
 */
export const LABEL_ENVIRONMENT = 'epicshelter.io/environment';
/** Environment an entity stands for or belongs to (also read by the Crossplane plugin); the same key as {@link LABEL_ENVIRONMENT}. @public */
export const ANNOTATION_ENVIRONMENT = LABEL_ENVIRONMENT;
/** Label naming the spec resource (database, bucket, ...) an XR or claim implements. @public */
export const LABEL_RESOURCE = 'epicshelter.io/resource';
/** Label every generated object carries (value `epicshelter`). @public */
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
/** The GitOps repository an entity was read from: `https://github.com/<owner>/<repo>` or a local path. @public */
export const ANNOTATION_GITOPS_REPOSITORY = 'epicshelter.io/gitops-repository';
/** Branch of the GitOps repository the catalog reads. @public */
export const ANNOTATION_GITOPS_BRANCH = 'epicshelter.io/gitops-branch';
/** Folder of the environment inside the GitOps repository, e.g. `environments/dev`. @public */
export const ANNOTATION_GITOPS_PATH = 'epicshelter.io/gitops-path';
/** Branch a change to the environment is proposed on (`<branchPrefix><env>`). @public */
export const ANNOTATION_GITOPS_CHANGE_BRANCH =
  'epicshelter.io/gitops-change-branch';
/**
 * Set by the catalog provider when `environments/<env>/environment.yaml`
 * cannot be read; the provider's processor turns it into a processing error.
 * @public
 */
export const ANNOTATION_GITOPS_ERROR = 'epicshelter.io/gitops-error';
/** Names of the environment's two Argo CD applications, comma separated. @public */
export const ANNOTATION_ARGOCD_APPLICATIONS =
  'epicshelter.io/argocd-applications';

/** Argo CD label selector annotation (Roadie/community compatible). @public */
export const ANNOTATION_ARGOCD_APP_SELECTOR = 'argocd/app-selector';
/** Crossplane label selector annotation of `@epicshelter/plugin-crossplane`. @public */
export const ANNOTATION_CROSSPLANE_SELECTOR =
  'crossplane.epicshelter.io/selector';
/** Crossplane namespace annotation of `@epicshelter/plugin-crossplane`. @public */
export const ANNOTATION_CROSSPLANE_NAMESPACE =
  'crossplane.epicshelter.io/namespace';
/** Backstage Kubernetes plugin label selector. @public */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';
/** Backstage Kubernetes plugin namespace. @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** Label carrying the environment's target (`local` / `cloud`). @public */
export const LABEL_TARGET = 'epicshelter.io/target';
/**
 * Label carrying the provider (`local`, `aws`, `gcp`, `azure`): the
 * Composition label XRs and claims select on (switching provider changes only
 * this value) and the label of environment entities in the catalog.
 * @public
 */
export const LABEL_PROVIDER = 'platform.epicshelter.io/provider';

/** One declared resource, as the catalog entity of an environment describes it. @public */
export interface EnvironmentResourceSummary {
  /** `database`, `bucket`, `cache` or `kubernetes-cluster`. */
  type: string;
  /** Name in the environment spec. */
  name: string;
  /** Catalog entity ref of the Resource entity the provider emits for it. */
  entityRef: string;
  /** Crossplane object (v2 XR or v1 claim) that implements it. */
  crossplane: {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
  };
  /** Engine, version, size, versioning, node count... as declared. */
  details: Record<string, string | number | boolean>;
}

/** `spec.environment` of an environment entity: what the GitOps spec declares. @public */
export interface EnvironmentEntitySpec {
  target: string;
  provider: string;
  region?: string;
  crossplaneApi: string;
  workloads: Array<{ name: string; replicas?: number; imageTag?: string }>;
  resources: EnvironmentResourceSummary[];
  /** Names of the environment's Argo CD applications. */
  applications: { workloads: string; infrastructure: string };
  /** When an ephemeral environment expires; absent: it does not. */
  expiry?: EnvironmentExpiry;
}

/** True for `Resource` entities of `spec.type: environment`. @public */
export function isEnvironmentEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    String(
      (entity.spec as { type?: unknown } | undefined)?.type ?? '',
    ).toLocaleLowerCase('en-US') === ENVIRONMENT_RESOURCE_TYPE
  );
}

/**
 * Reads `spec.environment` of an environment entity, or undefined when the
 * entity does not carry one (e.g. an environment registered by hand).
 * @public
 */
export function getEnvironmentSpec(
  entity: Entity,
): EnvironmentEntitySpec | undefined {
  const value = (entity.spec as { environment?: unknown } | undefined)
    ?.environment;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const v = value as Partial<EnvironmentEntitySpec>;
  if (typeof v.target !== 'string' || typeof v.provider !== 'string') {
    return undefined;
  }
  return {
    target: v.target,
    provider: v.provider,
    region: typeof v.region === 'string' ? v.region : undefined,
    crossplaneApi: typeof v.crossplaneApi === 'string' ? v.crossplaneApi : 'v2',
    workloads: Array.isArray(v.workloads) ? v.workloads : [],
    resources: Array.isArray(v.resources) ? v.resources : [],
    applications:
      v.applications && typeof v.applications === 'object'
        ? v.applications
        : {
            workloads: `${entity.metadata.name}-workloads`,
            infrastructure: `${entity.metadata.name}-infrastructure`,
          },
    ...(v.expiry &&
    typeof v.expiry.expiresAt === 'string' &&
    typeof v.expiry.ttl === 'string'
      ? { expiry: { ttl: v.expiry.ttl, expiresAt: v.expiry.expiresAt } }
      : {}),
  };
}

/** Name of the environment an entity stands for (annotation, else its name). @public */
export function getEnvironmentName(entity: Entity): string {
  return (
    entity.metadata.annotations?.[ANNOTATION_ENVIRONMENT]?.trim() ||
    entity.metadata.name
  );
}
