import { allCompositionRenders } from './compositionRenders';
import { dedupe, renderIssues } from './composedIssues';
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
    return dedupe(
      allCompositionRenders(context).flatMap(render =>
        renderIssues(context, render),
      ),
    );
  },
};
