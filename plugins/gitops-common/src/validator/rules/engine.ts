import type {
  RepositoryDocument,
  ValidationIssue,
} from '../validateRepository';
import { vendoredCrdRegistry, type CrdRegistry } from '../schema/crdRegistry';
import { buildPlatformIndex, type PlatformIndex } from './platformIndex';
import type { RepositoryRule, RuleContext } from './types';

/** Runs rules one after another over one shared context; a rule that throws becomes an issue. @public */
export function runRules(
  rules: RepositoryRule[],
  files: Record<string, string>,
  documents: RepositoryDocument[],
  crds: CrdRegistry = vendoredCrdRegistry(),
): ValidationIssue[] {
  let platform: PlatformIndex | undefined;
  const memos = new Map<string, unknown>();
  const context: RuleContext = {
    files,
    documents,
    crds,
    platform: () => (platform ??= buildPlatformIndex(documents)),
    memo: <T>(key: string, compute: () => T): T => {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
  };
  const issues: ValidationIssue[] = [];
  for (const rule of rules) {
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
  }
  return issues;
}
