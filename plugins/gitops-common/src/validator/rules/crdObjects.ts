import { splitApiVersion, type ValidationIssue } from '../validateRepository';
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
