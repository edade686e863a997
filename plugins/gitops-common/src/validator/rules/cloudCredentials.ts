import { LABEL_CLUSTER_ROLE, LABEL_PROVIDER } from '../../constants';
import type {
  RepositoryDocument,
  ValidationIssue,
} from '../validateRepository';
import { allCompositionRenders } from './compositionRenders';
import { dedupe, templatePath } from './composedIssues';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A Secret a cloud ProviderConfig of the tree reads its credentials from. */
export interface CredentialSecret {
  /** Cloud provider family: `aws`, `gcp` or `azure`. */
  family: string;
  namespace: string;
  name: string;
  key: string;
  /** The ProviderConfig that reads it, for messages. */
  readBy: string;
}

const CLOUD_PROVIDER_CONFIG_GROUP = /^(aws|gcp|azure)(?:\.m)?\.upbound\.io$/;

/**
 * The Secrets the cloud ProviderConfigs of a tree read (`credentials.source:
 * Secret`). ProviderConfigs with another source (IRSA, PodIdentity,
 * InjectedIdentity, a managed identity, ...) read none: the cluster's own
 * workload identity authenticates them.
 */
export function providerCredentialSecrets(
  documents: RepositoryDocument[],
): CredentialSecret[] {
  const out = new Map<string, CredentialSecret>();
  for (const d of documents) {
    const v = d.value;
    if (!isObj(v) || !/ProviderConfig$/.test(String(v.kind))) continue;
    const group = String(v.apiVersion).split('/')[0];
    const family = CLOUD_PROVIDER_CONFIG_GROUP.exec(group)?.[1];
    const credentials =
      isObj(v.spec) && isObj(v.spec.credentials) ? v.spec.credentials : {};
    const ref = isObj(credentials.secretRef) ? credentials.secretRef : {};
    const [namespace, name, key] = [ref.namespace, ref.name, ref.key].map(str);
    if (!family || credentials.source !== 'Secret' || !name || !key) continue;
    const secret = { family, namespace: namespace ?? '', name, key };
    const id = JSON.stringify(secret);
    if (!out.has(id)) {
      const meta = isObj(v.metadata) ? v.metadata : {};
      out.set(id, {
        ...secret,
        readBy: `${String(v.kind)} ${String(meta.name)} (${d.file})`,
      });
    }
  }
  return [...out.values()];
}

/** Whether a composed provider-kubernetes Object copies a credential Secret into the cluster its ProviderConfig targets. */
function copies(r: Obj, secret: CredentialSecret): boolean {
  const spec = isObj(r.spec) ? r.spec : {};
  const forProvider = isObj(spec.forProvider) ? spec.forProvider : {};
  const manifest = isObj(forProvider.manifest) ? forProvider.manifest : {};
  const meta = isObj(manifest.metadata) ? manifest.metadata : {};
  if (
    r.kind !== 'Object' ||
    manifest.kind !== 'Secret' ||
    meta.name !== secret.name ||
    meta.namespace !== secret.namespace
  )
    return false;
  const keyPaths = [`data[${secret.key}]`, `data.${secret.key}`];
  return (Array.isArray(spec.references) ? spec.references : []).some(ref => {
    const from = isObj(ref) && isObj(ref.patchesFrom) ? ref.patchesFrom : {};
    const to = isObj(ref) ? str(ref.toFieldPath) ?? str(from.fieldPath) : '';
    return (
      from.apiVersion === 'v1' &&
      from.kind === 'Secret' &&
      from.name === secret.name &&
      from.namespace === secret.namespace &&
      keyPaths.includes(String(from.fieldPath)) &&
      keyPaths.includes(String(to))
    );
  });
}

/** Whether an Object's providerConfigRef names a ProviderConfig the same composition composes (one for the new cluster). */
function targetsComposedCluster(r: Obj, siblings: Obj[]): boolean {
  const spec = isObj(r.spec) ? r.spec : {};
  const ref = isObj(spec.providerConfigRef) ? spec.providerConfigRef : {};
  const group = String(r.apiVersion).split('/')[0];
  return siblings.some(
    s =>
      s.kind === 'ProviderConfig' &&
      String(s.apiVersion).split('/')[0] === group &&
      isObj(s.metadata) &&
      s.metadata.name === ref.name,
  );
}

/**
 * After hand-over a cloud cluster's own Crossplane authenticates to its
 * cloud: the platform's ProviderConfigs (synced into every cluster) read a
 * credentials Secret by name, and no Secret is ever in Git, so every
 * bootstrap Composition of that provider copies each such Secret, with its
 * key, into the new cluster (a provider-kubernetes Object through a
 * ProviderConfig the Composition composes for that cluster). ProviderConfigs
 * with a workload identity source need no copy.
 */
export const cloudCredentialsRule: RepositoryRule = {
  id: 'cloud-credentials',
  description:
    'Bootstrap Compositions copy the credentials Secret the cloud ProviderConfigs read into the new cloud cluster',
  check(context) {
    const secrets = context.memo('providerCredentialSecrets', () =>
      providerCredentialSecrets(context.documents),
    );
    const issues: ValidationIssue[] = [];
    if (secrets.length === 0) return issues;
    const checked = new Set<string>();
    for (const render of allCompositionRenders(context)) {
      const { composition } = render;
      const family = composition.labels[LABEL_PROVIDER];
      if (
        composition.labels[LABEL_CLUSTER_ROLE] !== 'bootstrap' ||
        !render.result.ok ||
        checked.has(composition.name)
      )
        continue;
      checked.add(composition.name);
      const resources = render.result.resources;
      const siblings = resources.map(r => r.resource);
      for (const secret of secrets.filter(s => s.family === family)) {
        const copy = resources.find(r => copies(r.resource, secret));
        const what = `Secret ${secret.namespace}/${
          secret.name
        } (key ${JSON.stringify(secret.key)}), which ${secret.readBy} reads`;
        if (!copy) {
          issues.push({
            file: composition.doc.file,
            documentIndex: composition.doc.documentIndex,
            path: `$.spec.pipeline[${render.step.stepIndex}].input.resources`,
            message: `Composition ${JSON.stringify(
              composition.name,
            )} bootstraps ${family} cloud clusters but does not copy ${what}, into the new cluster: after hand-over its Crossplane cannot authenticate to ${family}; compose a provider-kubernetes Object whose manifest is that Secret and whose references[].patchesFrom copies data[${
              secret.key
            }] from this cluster, or give the ProviderConfigs a workload identity source`,
          });
        } else if (!targetsComposedCluster(copy.resource, siblings)) {
          issues.push({
            file: composition.doc.file,
            documentIndex: composition.doc.documentIndex,
            path: `${templatePath(
              render,
              copy.index,
            )}.base.spec.providerConfigRef`,
            message: `Composition ${JSON.stringify(
              composition.name,
            )} resource ${JSON.stringify(
              copy.name,
            )} copies ${what}, but its providerConfigRef names no ProviderConfig the Composition composes for the new cluster, so the copy does not reach the cloud cluster`,
          });
        }
      }
    }
    return dedupe(issues);
  },
};
