import { splitApiVersion } from '../apiVersion';
import type { ValidationIssue } from '../validateRepository';
import { ARGO_CD_SCHEMAS } from '../argoSchemas';
import { validateStructural } from '../schema/structural';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Objects of the tree whose API group a vendored CRD serves (Crossplane
 * XRDs, Compositions and EnvironmentConfigs, Argo CD objects, provider and
 * function configurations) validate against that CRD like the API server
 * with strict field validation. Kustomize patch files are partial objects and
 * are skipped, and so are the Argo CD kinds validateRepository already checks
 * with its own schemas (one message per problem).
 */
export const crdObjectsRule: RepositoryRule = {
  id: 'crd-objects',
  description:
    'Objects whose API group a vendored CRD serves are valid against it',
  check(context) {
    const { patchFiles } = context.platform();
    const issues: ValidationIssue[] = [];
    for (const doc of context.documents) {
      const v = doc.value;
      if (
        !isObj(v) ||
        typeof v.apiVersion !== 'string' ||
        typeof v.kind !== 'string' ||
        patchFiles.has(doc.file)
      )
        continue;
      const { group } = splitApiVersion(v.apiVersion);
      if (!context.crds.knowsGroup(group)) continue;
      if (group === 'argoproj.io' && ARGO_CD_SCHEMAS[v.kind]) continue;
      const crd = context.crds.get(v.apiVersion, v.kind);
      if (!crd) {
        issues.push({
          file: doc.file,
          documentIndex: doc.documentIndex,
          path: '$.apiVersion',
          message: `${v.apiVersion} ${v.kind}: no served version of this kind in the vendored CRDs of group ${group}`,
        });
        continue;
      }
      // Function inputs inside a Composition pipeline (patch-and-transform
      // Resources, environment-configs Input) have CRDs of their own.
      if (
        v.kind === 'Composition' &&
        isObj(v.spec) &&
        Array.isArray(v.spec.pipeline)
      ) {
        v.spec.pipeline.forEach((step, s) => {
          const input =
            isObj(step) && isObj(step.input) ? step.input : undefined;
          const inputCrd =
            input &&
            context.crds.get(String(input.apiVersion), String(input.kind));
          if (!input || !inputCrd) return;
          for (const i of validateStructural(input, inputCrd.schema).issues) {
            issues.push({
              file: doc.file,
              documentIndex: doc.documentIndex,
              path: `$.spec.pipeline[${s}].input${
                i.path === '.' ? '' : `.${i.path}`
              }`,
              message: `Composition ${JSON.stringify(
                isObj(v.metadata) ? v.metadata.name : '',
              )} step ${s} input (${input.apiVersion} ${input.kind}): field ${
                i.path
              }: ${i.message}`,
            });
          }
        });
      }
      for (const i of validateStructural(v, crd.schema).issues) {
        issues.push({
          file: doc.file,
          documentIndex: doc.documentIndex,
          path: i.path === '.' ? '$' : `$.${i.path}`,
          message: `${v.kind} ${JSON.stringify(
            isObj(v.metadata) ? v.metadata.name : '',
          )}: field ${i.path}: ${i.message}`,
        });
      }
    }
    return issues;
  },
};
