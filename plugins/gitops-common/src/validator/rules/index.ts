import { cloudApiConstraintsRule } from './cloudApiConstraints';
import { cloudCredentialsRule } from './cloudCredentials';
import { composedReferencesRule } from './composedReferences';
import { composedSecretRefsRule } from './composedSecretRefs';
import { composedResourcesRule } from './composedResources';
import { compositeResourcesRule } from './compositeResources';
import { connectionDetailsRule } from './connectionDetails';
import { crdObjectsRule } from './crdObjects';
import { orphanedFilesRule } from './orphanedFiles';
import { patchFieldPathsRule } from './patchFieldPaths';
import { topologyRule } from './topology';
import { v2ConnectionSecretsRule } from './v2ConnectionSecrets';
import type { RepositoryRule } from './types';

export { runRules } from './engine';
export type { RepositoryRule, RuleContext } from './types';

/** The rules validateRepository runs after its own checks, in this order. @public */
export const REPOSITORY_RULES: RepositoryRule[] = [
  crdObjectsRule,
  {
    ...composedResourcesRule,
    check: c =>
      c.memo('composedResourcesIssues', () => composedResourcesRule.check(c)),
  },
  patchFieldPathsRule,
  connectionDetailsRule,
  v2ConnectionSecretsRule,
  cloudCredentialsRule,
  cloudApiConstraintsRule,
  composedSecretRefsRule,
  composedReferencesRule,
  compositeResourcesRule,
  orphanedFilesRule,
  topologyRule,
];
