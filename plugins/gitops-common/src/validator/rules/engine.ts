import type {
  RepositoryDocument,
  ValidationIssue,
} from '../validateRepository';
import { vendoredCrdRegistry, type CrdRegistry } from '../schema/crdRegistry';
import { RepositoryTree } from '../repositoryTree';
import { buildPlatformIndex, type PlatformIndex } from './platformIndex';
import type { RepositoryRule, RuleContext } from './types';

/** Options of {@link runRules}. @public */
export interface RunRulesOptions {
  /** The parsed tree the documents come from; built from them when absent. */
  tree?: RepositoryTree;
  /** Told how long each rule took, in milliseconds (for benchmarks). */
  onRuleTimed?: (ruleId: string, milliseconds: number) => void;
}

/** Runs rules one after another over one shared context; a rule that throws becomes an issue. @public */
export function runRules(
  rules: RepositoryRule[],
  files: Record<string, string>,
  documents: RepositoryDocument[],
  crds: CrdRegistry = vendoredCrdRegistry(),
  options: RunRulesOptions = {},
): ValidationIssue[] {
  let platform: PlatformIndex | undefined;
  const memos = new Map<string, unknown>();
  const tree = options.tree ?? new RepositoryTree(files, documents);
  const context: RuleContext = {
    files,
    documents,
    tree,
    crds,
    platform: () => (platform ??= buildPlatformIndex(documents)),
    memo: <T>(key: string, compute: () => T): T => {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
  };
  const issues: ValidationIssue[] = [];
  for (const rule of rules) {
    const start = performance.now();
    try {
      issues.push(...rule.check(context));
    } catch (e) {
      issues.push({
        file: '.',
        documentIndex: -1,
        path: '$',
        message: `rule ${rule.id} could not run: ${(e as Error).message}`,
      });
    }
    options.onRuleTimed?.(rule.id, performance.now() - start);
  }
  return issues;
}
