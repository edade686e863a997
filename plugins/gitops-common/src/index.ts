/**
 * Environment spec, GitOps repository generator and validator of Epicshelter.
 *
 * @packageDocumentation
 */

export * from './offerings';
export * from './constants';
export * from './spec';
export * from './generator';
export * from './paths';
export * from './permissions';
export { toYaml, toYamlStream } from './yaml';
export {
  validateRepository,
  formatValidationIssues,
  parseRepositoryDocuments,
  isYamlPath,
  splitApiVersion,
} from './validator/validateRepository';
export type {
  ValidationIssue,
  ValidationResult,
  ValidateRepositoryOptions,
  RepositoryDocument,
} from './validator/validateRepository';
export { validateNewEnvironment } from './validator/validateNewEnvironment';
export * from './validator/topology';
export {
  cloudClusterFiles,
  type CloudClusterFilesOptions,
  CLOUD_CLUSTER_BASE_DIR,
  CLOUD_ROOT_APPLICATION,
  KUBERNETES_CLUSTER_DIR,
} from './cloudClusterFiles';

export { renderPlatform, BLUEPRINT_REPO_URL } from './platform';
export type { RenderPlatformOptions } from './platform';
export { strictStructuralSchema as kubernetesSchemaToJsonSchema } from './validator/xrdSchema';
export { validateStructural } from './validator/schema/structural';
export {
  crdRegistry,
  vendoredCrdRegistry,
} from './validator/schema/crdRegistry';
export type { CrdRegistry, CrdVersion } from './validator/schema/crdRegistry';
export type {
  CelRule,
  CrdDocument,
  SchemaIssue,
  StructuralSchema,
} from './validator/schema/types';
export { REPOSITORY_RULES, runRules } from './validator/rules';
export type { RepositoryRule, RuleContext } from './validator/rules';
export type { RunRulesOptions } from './validator/rules/engine';
export { RepositoryTree, type TreeObject } from './validator/repositoryTree';
export type {
  CompositeType,
  CompositionInfo,
  PatchAndTransformStep,
  PlatformIndex,
} from './validator/rules/platformIndex';
export * from './promote';
export * from './decommission';
