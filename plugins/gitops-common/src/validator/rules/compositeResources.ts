import { validateStructural } from '../schema/structural';
import type { ValidationIssue } from '../validateRepository';
import { renderComposition } from './compositionRenders';
import { renderIssues } from './composedIssues';
import { composedResourcesRule } from './composedResources';
import type { CompositionInfo } from './platformIndex';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compositions an XR or claim can select (compositionRef or compositionSelector). */
function selected(
  xr: Obj,
  legacy: boolean,
  candidates: CompositionInfo[],
): CompositionInfo[] {
  const spec = isObj(xr.spec) ? xr.spec : {};
  const nested = isObj(spec.crossplane) ? spec.crossplane : {};
  const crossplane = legacy ? spec : nested;
  if (isObj(crossplane.compositionRef)) {
    return candidates.filter(
      c => c.name === (crossplane.compositionRef as Obj).name,
    );
  }
  const selector =
    isObj(crossplane.compositionSelector) &&
    isObj(crossplane.compositionSelector.matchLabels)
      ? crossplane.compositionSelector.matchLabels
      : {};
  return candidates.filter(c =>
    Object.entries(selector).every(([k, v]) => c.labels[k] === v),
  );
}

/**
 * Renders the Composition each XR or claim of the tree selects with its own
 * parameters and validates what it composes. Problems the Composition has for
 * every composite resource are reported once, on the Composition (rule
 * composed-resources); this rule reports what only this XR's values cause.
 */
export const compositeResourcesRule: RepositoryRule = {
  id: 'composite-resources',
  description:
    'What each XR or claim of the tree composes, with its own parameters, is valid',
  check(context) {
    const platform = context.platform();
    const known = new Set(
      context
        .memo('composedResourcesIssues', () =>
          composedResourcesRule.check(context),
        )
        .map(i => `${i.path}|${i.message.replace(/ \[with [^\]]*\]$/, '')}`),
    );
    const issues: ValidationIssue[] = [];
    for (const doc of context.documents) {
      const v = doc.value;
      if (!isObj(v) || platform.patchFiles.has(doc.file)) continue;
      const type = platform.types.get(`${v.apiVersion}|${v.kind}`);
      if (!type) continue;
      const claim = type.claim;
      const legacy = type.scope === 'LegacyCluster';
      const { issues: invalid, value } = validateStructural(v, type.schema);
      if (invalid.length > 0) continue; // the XR itself is reported by validateRepository
      const xr = value as Obj;
      const meta = isObj(xr.metadata) ? xr.metadata : {};
      const candidates = platform.compositions.filter(
        c =>
          c.compositeApiVersion === v.apiVersion &&
          c.compositeKind === type.compositeKind,
      );
      const composite: Obj = claim
        ? {
            ...xr,
            kind: type.compositeKind,
            metadata: {
              name: `${meta.name}-x7k2p`,
              uid: '4f6c2a1e-0000-4000-8000-000000000001',
            },
            spec: {
              ...(xr.spec as Obj),
              claimRef: {
                apiVersion: v.apiVersion,
                kind: v.kind,
                name: meta.name,
                namespace: meta.namespace,
              },
            },
          }
        : {
            ...xr,
            metadata: { ...meta, uid: '4f6c2a1e-0000-4000-8000-000000000001' },
          };
      const parameters =
        isObj(xr.spec) && isObj(xr.spec.parameters) ? xr.spec.parameters : {};
      for (const composition of selected(xr, legacy, candidates)) {
        for (const render of renderComposition(
          composition,
          composite,
          parameters,
        )) {
          const found = renderIssues(context, render);
          for (const f of found) {
            if (
              known.has(
                `${f.path}|${f.message.replace(/ \[with [^\]]*\]$/, '')}`,
              )
            )
              continue;
            issues.push({
              file: doc.file,
              documentIndex: doc.documentIndex,
              path: '$.spec.parameters',
              message: f.message.replace(/ \[with [^\]]*\]$/, ''),
            });
          }
        }
      }
    }
    return issues;
  },
};
