import type { ValidationIssue } from '../validateRepository';
import { allCompositionRenders } from './compositionRenders';
import {
  composedResourceIssues,
  dedupe,
  describeParameters,
  templatePath,
} from './composedIssues';
import type { RepositoryRule } from './types';

/**
 * Renders every Composition as function-patch-and-transform v0.9.0 does, for
 * every parameter set its XRD allows, and validates each composed resource
 * against its vendored CRD like the API server (types, unknown fields,
 * required, enums, CEL rules). A render the function fails (a transform
 * error, a missing required field) is reported too: it fails the whole XR.
 */
export const composedResourcesRule: RepositoryRule = {
  id: 'composed-resources',
  description:
    'Every composed resource of every Composition, for every allowed parameter set, is valid against its CRD',
  check(context) {
    const issues: ValidationIssue[] = [];
    for (const render of allCompositionRenders(context)) {
      const { composition, result } = render;
      if (!result.ok) {
        const f = result.failure;
        issues.push({
          file: composition.doc.file,
          documentIndex: composition.doc.documentIndex,
          path: `${templatePath(render, f.index)}${
            f.patchIndex >= 0 ? `.patches[${f.patchIndex}]` : ''
          }`,
          message: `Composition ${JSON.stringify(
            composition.name,
          )} resource ${JSON.stringify(f.name)}${
            f.toFieldPath ? ` field ${f.toFieldPath}` : ''
          }: function-patch-and-transform fails the whole composite resource: ${
            f.message
          } [with ${describeParameters(render.parameters)}]`,
        });
        continue;
      }
      for (const rendered of result.resources) {
        issues.push(...composedResourceIssues(context, render, rendered));
      }
    }
    return dedupe(issues);
  },
};
