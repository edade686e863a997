import { basenameOf, dirnameOf, resolveRepoPath } from '../../paths';
import { validateStructural } from '../schema/structural';
import { buildKustomization } from '../topology/kustomize';
import type { ValidationIssue } from '../validateRepository';
import { renderComposition } from './compositionRenders';
import { renderIssues } from './composedIssues';
import { composedResourcesRule } from './composedResources';
import type { CompositionInfo } from './platformIndex';
import type { RepositoryRule, RuleContext } from './types';

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

const WITHOUT_PARAMETERS = / \[with [^\]]*\]$/;
const UID = '4f6c2a1e-0000-4000-8000-000000000001';

/**
 * Issues of what one XR or claim composes, with its own values, except those
 * already reported on the Composition (`known`).
 */
function objectIssues(
  context: RuleContext,
  v: Obj,
  known: Set<string>,
): string[] {
  const platform = context.platform();
  const type = platform.types.get(`${v.apiVersion}|${v.kind}`);
  if (!type) return [];
  const { issues: invalid, value } = validateStructural(v, type.schema);
  if (invalid.length > 0) {
    // validateRepository reports schema violations of XRs and claims but does
    // not evaluate the XRD's CEL rules: those are reported here.
    return invalid
      .filter(i => i.cel)
      .map(i => `${v.kind} field ${i.path}: ${i.message} (rule of the XRD)`);
  }
  const xr = value as Obj;
  const meta = isObj(xr.metadata) ? xr.metadata : {};
  const candidates = platform.compositions.filter(
    c =>
      c.compositeApiVersion === v.apiVersion &&
      c.compositeKind === type.compositeKind,
  );
  const composite: Obj = type.claim
    ? {
        ...xr,
        kind: type.compositeKind,
        metadata: { name: `${meta.name}-x7k2p`, uid: UID },
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
    : { ...xr, metadata: { ...meta, uid: UID } };
  const parameters =
    isObj(xr.spec) && isObj(xr.spec.parameters) ? xr.spec.parameters : {};
  const messages = new Set<string>();
  const legacy = type.scope === 'LegacyCluster';
  for (const composition of selected(xr, legacy, candidates)) {
    for (const render of renderComposition(
      composition,
      composite,
      parameters,
    )) {
      for (const f of renderIssues(context, render)) {
        const message = f.message.replace(WITHOUT_PARAMETERS, '');
        if (!known.has(`${f.path}|${message}`)) messages.add(message);
      }
    }
  }
  return [...messages];
}

const KUSTOMIZATIONS = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/**
 * Renders the Composition each XR or claim of the tree selects with its own
 * parameters and validates what it composes; XRs that a kustomization
 * overlay patches (a bootstrap overlay switching the composition, say) are
 * rendered as that overlay builds them, reported on its kustomization.
 * Problems the Composition has for every composite resource are reported
 * once, on the Composition (rule composed-resources); this rule reports what
 * only this XR's values cause.
 */
export const compositeResourcesRule: RepositoryRule = {
  id: 'composite-resources',
  description:
    'What each XR or claim of the tree composes, with its own parameters and as overlays patch it, is valid',
  check(context) {
    const platform = context.platform();
    const known = new Set(
      context
        .memo('composedResourcesIssues', () =>
          composedResourcesRule.check(context),
        )
        .map(i => `${i.path}|${i.message.replace(WITHOUT_PARAMETERS, '')}`),
    );
    const issues: ValidationIssue[] = [];
    const isComposite = (v: unknown): v is Obj =>
      isObj(v) && platform.types.has(`${v.apiVersion}|${v.kind}`);
    const patchesComposites = new Set<string>();
    for (const doc of context.documents) {
      if (!isComposite(doc.value)) continue;
      if (platform.patchFiles.has(doc.file)) {
        patchesComposites.add(doc.file);
        continue;
      }
      for (const message of objectIssues(context, doc.value, known)) {
        issues.push({
          file: doc.file,
          documentIndex: doc.documentIndex,
          path: '$.spec.parameters',
          message,
        });
      }
    }
    // Overlays whose patches change XRs or claims: render what they build.
    for (const doc of context.documents) {
      if (!KUSTOMIZATIONS.includes(basenameOf(doc.file)) || !isObj(doc.value))
        continue;
      const dir = dirnameOf(doc.file);
      const patchFiles = (
        Array.isArray(doc.value.patches) ? doc.value.patches : []
      ).map(p =>
        isObj(p) && typeof p.path === 'string'
          ? resolveRepoPath(dir, p.path)
          : undefined,
      );
      if (!patchFiles.some(f => f !== undefined && patchesComposites.has(f)))
        continue;
      for (const built of buildKustomization(context.tree, dir).objects) {
        if (built.patchedBy.length === 0 || !isComposite(built.value)) continue;
        for (const message of objectIssues(context, built.value, known)) {
          issues.push({
            file: doc.file,
            documentIndex: doc.documentIndex,
            path: '$.patches',
            message: `${built.value.kind} ${JSON.stringify(
              isObj(built.value.metadata) ? built.value.metadata.name : '',
            )} as this overlay builds it (from ${built.file}): ${message}`,
          });
        }
      }
    }
    return issues;
  },
};
