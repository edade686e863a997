import type {
  RepositoryDocument,
  ValidationIssue,
} from '../validateRepository';
import type { CrdRegistry } from '../schema/crdRegistry';
import type { RepositoryTree } from '../repositoryTree';
import type { PlatformIndex } from './platformIndex';

/** What every rule may read: the tree, its parsed documents and the vendored CRDs. @public */
export interface RuleContext {
  files: Record<string, string>;
  documents: RepositoryDocument[];
  /**
   * The same tree, parsed once and shared by every rule: objects per file,
   * folders, kustomize builds and generator parameters. Do not mutate.
   */
  tree: RepositoryTree;
  crds: CrdRegistry;
  /** The platform API of the tree (XRDs, Compositions, ...), built once per run. */
  platform(): PlatformIndex;
  /** Values computed by one rule and reused by another within one run. */
  memo<T>(key: string, compute: () => T): T;
}

/** One check of a repository: a rule file under validator/rules. @public */
export interface RepositoryRule {
  id: string;
  /** What the rule checks, in one sentence. */
  description: string;
  check(context: RuleContext): ValidationIssue[];
}
