import { getFieldPath, parseFieldPath } from '../composition/fieldPath';
import { expandPatches } from '../composition/patchAndTransform';
import { schemaAt } from '../schema/schemaPath';
import type { ValidationIssue } from '../validateRepository';
import { allCompositionRenders } from './compositionRenders';
import { dedupe } from './composedIssues';
import type { StructuralSchema } from '../schema/types';
import type { RepositoryRule, RuleContext } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Both ends of a To*Composite patch: from the composed kind (status is not vendored), to the XR schema. */
function checkToComposite(
  patch: Obj,
  patchType: string,
  kinds: Set<string>,
  composite: StructuralSchema | undefined,
  crds: RuleContext['crds'],
  issue: (message: string) => void,
) {
  const sources = patchType.startsWith('Combine')
    ? (isObj(patch.combine) && Array.isArray(patch.combine.variables)
        ? patch.combine.variables
        : []
      ).map(v => String(isObj(v) ? v.fromFieldPath : ''))
    : [String(patch.fromFieldPath)];
  const ends: Array<[string, string, StructuralSchema | undefined]> = [
    ...sources.flatMap(from =>
      [...kinds].map((k): [string, string, StructuralSchema | undefined] => {
        const [apiVersion, kind] = k.split('|');
        return [
          from,
          `${apiVersion} ${kind}`,
          crds.get(apiVersion, kind)?.schema,
        ];
      }),
    ),
    [
      String(patch.toFieldPath ?? patch.fromFieldPath),
      'the composite resource',
      composite,
    ],
  ];
  for (const [path, where, schema] of ends) {
    if (
      !schema ||
      (path.startsWith('status.') && where !== 'the composite resource')
    )
      continue;
    try {
      const r = schemaAt(schema, parseFieldPath(path));
      if (!r.ok)
        issue(`${path} is not in the schema of ${where}: ${r.message}`);
    } catch (e) {
      issue(
        `field path ${JSON.stringify(path)} is malformed: ${
          (e as Error).message
        }`,
      );
    }
  }
}

/**
 * Static checks of every patch: each `fromFieldPath` exists in the XRD's
 * schema (Crossplane's own fields included) or in the environment the
 * Composition's EnvironmentConfigs give, and each `toFieldPath` exists in the
 * schema of every kind the template renders to (a `[0]` into an object is the
 * list-versus-object mistake the API server rejects). To*Composite patches
 * are checked the other way round (status of composed kinds is not vendored,
 * so status sources are not checked).
 */
export const patchFieldPathsRule: RepositoryRule = {
  id: 'patch-field-paths',
  description:
    'Patch fromFieldPaths exist in the XRD schema or environment; toFieldPaths exist in the target CRD schema',
  check(context) {
    const issues: ValidationIssue[] = [];
    // Kinds each template renders to (a patch may switch apiVersion).
    const targets = new Map<string, Set<string>>();
    for (const render of allCompositionRenders(context)) {
      if (!render.result.ok) continue;
      for (const r of render.result.resources) {
        const key = `${render.composition.doc.file}#${render.composition.doc.documentIndex}|${render.step.stepIndex}|${r.index}`;
        const set = targets.get(key) ?? new Set<string>();
        set.add(`${r.resource.apiVersion}|${r.resource.kind}`);
        targets.set(key, set);
      }
    }
    for (const composition of context.platform().compositions) {
      const type = composition.type;
      for (const step of composition.steps) {
        const templates = Array.isArray(step.input.resources)
          ? (step.input.resources as Obj[])
          : [];
        templates.forEach((template, index) => {
          const base = isObj(template.base) ? template.base : {};
          const key = `${composition.doc.file}#${composition.doc.documentIndex}|${step.stepIndex}|${index}`;
          const kinds =
            targets.get(key) ?? new Set([`${base.apiVersion}|${base.kind}`]);
          let patches: Obj[];
          try {
            patches = expandPatches(template.patches, step.input.patchSets);
          } catch {
            return; // reported by the composed-resources rule
          }
          patches.forEach((patch, p) => {
            const at = `$.spec.pipeline[${step.stepIndex}].input.resources[${index}].patches[${p}]`;
            const issue = (message: string) =>
              issues.push({
                file: composition.doc.file,
                documentIndex: composition.doc.documentIndex,
                path: at,
                message: `Composition ${JSON.stringify(
                  composition.name,
                )} resource ${JSON.stringify(template.name)}: ${message}`,
              });
            const type_ = String(patch.type ?? 'FromCompositeFieldPath');
            const fromEnv =
              type_ === 'FromEnvironmentFieldPath' ||
              type_ === 'CombineFromEnvironment';
            const fromComposite =
              type_ === 'FromCompositeFieldPath' ||
              type_ === 'CombineFromComposite';
            if (
              type_ === 'ToCompositeFieldPath' ||
              type_ === 'CombineToComposite'
            ) {
              checkToComposite(
                patch,
                type_,
                kinds,
                type?.schema,
                context.crds,
                issue,
              );
              return;
            }
            if (!fromEnv && !fromComposite) return;
            const sources = type_.startsWith('Combine')
              ? (isObj(patch.combine) && Array.isArray(patch.combine.variables)
                  ? patch.combine.variables
                  : []
                ).map(v => String(isObj(v) ? v.fromFieldPath : ''))
              : [String(patch.fromFieldPath)];
            for (const from of sources) {
              let segments;
              try {
                segments = parseFieldPath(from);
              } catch (e) {
                issue(
                  `fromFieldPath ${JSON.stringify(from)} is malformed: ${
                    (e as Error).message
                  }`,
                );
                continue;
              }
              if (fromEnv) {
                if (getFieldPath(composition.environment, from) === undefined) {
                  issue(
                    `fromFieldPath ${from}: not in the environment the Composition's EnvironmentConfigs provide`,
                  );
                }
              } else if (type) {
                const r = schemaAt(type.schema, segments);
                if (!r.ok)
                  issue(
                    `fromFieldPath ${from} is not in the schema of ${type.apiVersion} ${type.kind}: ${r.message}`,
                  );
              }
            }
            const to = String(patch.toFieldPath ?? patch.fromFieldPath);
            let toSegments;
            try {
              toSegments = parseFieldPath(to);
            } catch (e) {
              issue(
                `toFieldPath ${JSON.stringify(to)} is malformed: ${
                  (e as Error).message
                }`,
              );
              return;
            }
            for (const k of kinds) {
              const [apiVersion, kind] = k.split('|');
              const crd = context.crds.get(apiVersion, kind);
              if (!crd) continue; // the composed-resources rule reports kinds without a CRD
              const r = schemaAt(crd.schema, toSegments);
              if (!r.ok)
                issue(
                  `toFieldPath ${to} is not in the schema of ${apiVersion} ${kind}: ${r.message}`,
                );
            }
          });
        });
      }
    }
    return dedupe(issues);
  },
};
