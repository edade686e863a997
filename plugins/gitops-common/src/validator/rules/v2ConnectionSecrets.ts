import { connectionSecretKeys } from '../composition/chartSecrets';
import { parseFieldPath } from '../composition/fieldPath';
import type { ValidationIssue } from '../validateRepository';
import { providerCredentialSecrets } from './cloudCredentials';
import { allCompositionRenders } from './compositionRenders';
import { dedupe, describeParameters, templatePath } from './composedIssues';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key of `data[key]` / `data.key`, or undefined for another path. */
function dataKey(fieldPath: string): string | undefined {
  try {
    const [first, second, ...rest] = parseFieldPath(fieldPath);
    return first === 'data' && typeof second === 'string' && rest.length === 0
      ? second
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Connection Secrets of namespaced (Crossplane v2) XRs are really produced
 * with the keys the workloads read:
 * - a Composition for a namespaced XR declares no `connectionDetails`
 *   (Crossplane v2 ignores them: the keys would never reach a Secret);
 * - a provider-kubernetes Object composing a Secret copies each key from a
 *   Secret a sibling really writes (`writeConnectionSecretToRef`) and that
 *   has the key, or from a sibling resource it names.
 */
export const v2ConnectionSecretsRule: RepositoryRule = {
  id: 'v2-connection-secrets',
  description:
    'Namespaced XRs compose their connection Secret from keys their composed resources really write (v2 ignores Composition connectionDetails)',
  check(context) {
    const issues: ValidationIssue[] = [];
    const credentials = context.memo('providerCredentialSecrets', () =>
      providerCredentialSecrets(context.documents),
    );
    for (const render of allCompositionRenders(context)) {
      const { composition } = render;
      if (!composition.type || composition.type.scope === 'LegacyCluster')
        continue;
      const issue = (index: number, name: string, r: Obj, message: string) =>
        issues.push({
          file: composition.doc.file,
          documentIndex: composition.doc.documentIndex,
          path: templatePath(render, index),
          message: `Composition ${JSON.stringify(
            composition.name,
          )} resource ${JSON.stringify(name)} (${r.apiVersion} ${
            r.kind
          }): ${message} [with ${describeParameters(render.parameters)}]`,
        });
      const templates = Array.isArray(render.step.input.resources)
        ? (render.step.input.resources as unknown[])
        : [];
      templates.forEach((t, i) => {
        if (
          isObj(t) &&
          Array.isArray(t.connectionDetails) &&
          t.connectionDetails.length > 0
        ) {
          const names = t.connectionDetails
            .map(d => (isObj(d) ? JSON.stringify(d.name) : '?'))
            .join(', ');
          issue(
            i,
            String(t.name),
            isObj(t.base) ? t.base : {},
            `field connectionDetails: Crossplane v2 ignores a Composition's connection details for a namespaced XR (its XRD has no connectionSecretKeys), so ${names} never reach a Secret a workload reads; compose the Secret (a provider-kubernetes Object with references[].patchesFrom)`,
          );
        }
      });
      if (!render.result.ok) continue;
      const siblings = render.result.resources;
      for (const rendered of siblings) {
        const r = rendered.resource;
        const spec = isObj(r.spec) ? r.spec : {};
        const manifest = isObj(spec.forProvider)
          ? spec.forProvider.manifest
          : undefined;
        if (
          r.kind !== 'Object' ||
          !isObj(manifest) ||
          manifest.kind !== 'Secret'
        )
          continue;
        (Array.isArray(spec.references) ? spec.references : []).forEach(
          (ref, i) => {
            const from =
              isObj(ref) && isObj(ref.patchesFrom)
                ? ref.patchesFrom
                : undefined;
            if (!from) return;
            const field = `field spec.references[${i}].patchesFrom`;
            // A copy of cloud credentials into a new cluster, not a
            // connection detail: the cloud-credentials rule checks it.
            if (
              credentials.some(
                s => s.name === from.name && s.namespace === from.namespace,
              )
            )
              return;
            if (from.kind === 'Secret') {
              const writer = siblings.find(o => {
                const to = isObj(o.resource.spec)
                  ? o.resource.spec.writeConnectionSecretToRef
                  : undefined;
                return isObj(to) && to.name === from.name;
              });
              if (!writer) {
                issue(
                  rendered.index,
                  rendered.name,
                  r,
                  `${field}: copies from Secret ${JSON.stringify(
                    from.name,
                  )}, which no resource of the composition writes (writeConnectionSecretToRef)`,
                );
                return;
              }
              const key = dataKey(String(from.fieldPath));
              const keys = connectionSecretKeys(writer.resource);
              if (keys && (key === undefined || !keys.includes(key))) {
                issue(
                  rendered.index,
                  rendered.name,
                  r,
                  `${field}.fieldPath: ${JSON.stringify(
                    from.fieldPath,
                  )} is not a key of the connection secret of resource ${JSON.stringify(
                    writer.name,
                  )} (it has ${keys
                    .map(k => JSON.stringify(k))
                    .join(
                      ', ',
                    )}), so the Secret the workloads read never gets ${JSON.stringify(
                    ref.toFieldPath,
                  )}`,
                );
              }
              return;
            }
            const source = siblings.find(
              o =>
                o.resource.apiVersion === from.apiVersion &&
                o.resource.kind === from.kind &&
                isObj(o.resource.metadata) &&
                o.resource.metadata.name === from.name,
            );
            if (!source) {
              issue(
                rendered.index,
                rendered.name,
                r,
                `${field}: copies from ${String(from.apiVersion)} ${String(
                  from.kind,
                )} ${JSON.stringify(
                  from.name,
                )}, which is not a resource of the composition (set its metadata.name)`,
              );
            }
          },
        );
      }
    }
    return dedupe(issues);
  },
};
