import type { ValidationIssue } from '../validateRepository';
import { allCompositionRenders } from './compositionRenders';
import { dedupe, describeParameters, templatePath } from './composedIssues';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Crossplane package that serves an API group, as a package path fragment. */
export function providerPackageFor(group: string): string | undefined {
  const upjet = /^(?:([a-z0-9]+)\.)?(aws|gcp|azure)(?:\.m)?\.upbound\.io$/.exec(
    group,
  );
  if (upjet)
    return upjet[1]
      ? `/provider-${upjet[2]}-${upjet[1]}:`
      : `/provider-${upjet[2]}-`;
  const contrib = /^(helm|kubernetes)(?:\.m)?\.crossplane\.io$/.exec(group);
  return contrib ? `/provider-${contrib[1]}:` : undefined;
}

/** Whether a selector field (`subnetIdSelector`, `roleArnSelector`) can select objects of a kind. */
function selects(field: string, kind: string): boolean {
  const target = field
    .replace(/Selector$/, '')
    .replace(/(Ids?|Arns?|Names?)$/, '')
    .toLowerCase();
  const k = kind.toLowerCase();
  return target !== '' && (target.endsWith(k) || k.endsWith(target));
}

function selectors(forProvider: Obj): Array<[string, Obj]> {
  return Object.entries(forProvider).flatMap(([k, v]): Array<[string, Obj]> => {
    if (k.endsWith('Selector') && isObj(v)) return [[k, v]];
    if (isObj(v)) return selectors(v).map(([f, s]) => [`${k}.${f}`, s]);
    return [];
  });
}

const labelsOf = (o: Obj): Record<string, unknown> =>
  isObj(o.metadata) && isObj(o.metadata.labels) ? o.metadata.labels : {};

/**
 * What composed resources depend on exists: the provider serving each
 * composed kind is installed (platform Providers), and every reference
 * selector (`*Selector`) selects something: `matchControllerRef` a resource
 * of the same composition, `matchLabels` a composed resource or an object of
 * the repository of a fitting kind carrying those labels. Observe-only
 * resources are skipped: crossplane-runtime resolves no references for them.
 */
export const composedReferencesRule: RepositoryRule = {
  id: 'composed-references',
  description:
    'Composed kinds have an installed provider and their reference selectors select something that exists',
  check(context) {
    const { providerPackages } = context.platform();
    // Objects of the repository a label selector could select: those with labels.
    const labelled = context.documents
      .map(d => d.value)
      .filter(isObj)
      .filter(o => Object.keys(labelsOf(o)).length > 0);
    const issues: ValidationIssue[] = [];
    for (const render of allCompositionRenders(context)) {
      // With resources waiting for observed state, what they would select is
      // not there yet: the later render (observed) checks the references.
      if (!render.result.ok || render.result.waiting) continue;
      const siblings = render.result.resources.map(r => r.resource);
      for (const rendered of render.result.resources) {
        const r = rendered.resource;
        const base = templatePath(render, rendered.index);
        const issue = (path: string, message: string) =>
          issues.push({
            file: render.composition.doc.file,
            documentIndex: render.composition.doc.documentIndex,
            path,
            message: `Composition ${JSON.stringify(
              render.composition.name,
            )} resource ${JSON.stringify(rendered.name)} (${r.apiVersion} ${
              r.kind
            }): ${message} [with ${describeParameters(render.parameters)}]`,
          });
        const group = String(r.apiVersion).split('/')[0];
        const pkg = providerPackageFor(group);
        if (pkg && !providerPackages.some(p => p.includes(pkg))) {
          issue(
            `${base}.base.apiVersion`,
            `field apiVersion: no installed Crossplane Provider serves ${group} (expected a package like ...${pkg.replace(
              /:$/,
              '',
            )})`,
          );
        }
        const forProvider =
          isObj(r.spec) && isObj(r.spec.forProvider) ? r.spec.forProvider : {};
        // crossplane-runtime resolves no references of an observe-only resource.
        const policies =
          isObj(r.spec) && Array.isArray(r.spec.managementPolicies)
            ? r.spec.managementPolicies
            : [];
        const observeOnly =
          policies.length > 0 && policies.every(p => p === 'Observe');
        for (const [field, selector] of observeOnly
          ? []
          : selectors(forProvider)) {
          const name = field.split('.').pop()!;
          const candidates = siblings.filter(
            s => s !== r && selects(name, String(s.kind)),
          );
          if (selector.matchControllerRef === true && candidates.length === 0) {
            issue(
              `${base}.base.spec.forProvider.${field}`,
              `field spec.forProvider.${field}: matchControllerRef selects a resource of this composition, but it composes none that ${name} can select`,
            );
          }
          if (isObj(selector.matchLabels)) {
            const wanted = Object.entries(selector.matchLabels);
            const matchesLabels = (o: Obj) =>
              wanted.every(([k, v]) => labelsOf(o)[k] === v);
            const pool =
              selector.matchControllerRef === true
                ? candidates
                : [
                    ...candidates,
                    ...labelled.filter(o => selects(name, String(o.kind))),
                  ];
            if (!pool.some(matchesLabels)) {
              issue(
                `${base}.base.spec.forProvider.${field}`,
                `field spec.forProvider.${field}: selects by labels ${JSON.stringify(
                  selector.matchLabels,
                )}, but nothing in the composition or the repository that ${name} can select carries them`,
              );
            }
          }
        }
      }
    }
    return dedupe(issues);
  },
};
