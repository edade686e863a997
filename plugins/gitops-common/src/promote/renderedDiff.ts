import { createTwoFilesPatch } from 'diff';
import { renderWorkloads } from './renderWorkloads';

/** Result of {@link renderedWorkloadsDiff}. @public */
export interface RenderedDiff {
  /** Unified diff of the rendered workloads, before and after; empty when equal. */
  diff: string;
  /** Build problems, before or after (each said once). */
  problems: string[];
}

/**
 * The rendered diff of a change to an environment: its workloads overlay
 * built before and after `changed` is applied to the repository, as a
 * unified diff (`a/<env>/workloads` → `b/<env>/workloads`).
 * @public
 */
export function renderedWorkloadsDiff(
  repo: Record<string, string>,
  env: string,
  changed: ReadonlyArray<{ path: string; content: string }>,
): RenderedDiff {
  const before = renderWorkloads(repo, env);
  const after = renderWorkloads(
    {
      ...repo,
      ...Object.fromEntries(changed.map(c => [c.path, c.content])),
    },
    env,
  );
  const name = `${env}/workloads (kustomize build)`;
  const diff =
    before.yaml === after.yaml
      ? ''
      : createTwoFilesPatch(
          `a/${name}`,
          `b/${name}`,
          before.yaml,
          after.yaml,
          '',
          '',
          {
            context: 3,
          },
        )
          // No separator line and no empty tab-separated file headers.
          .replace(/^=+\n/, '')
          .replace(/^(---|\+\+\+) (.*)\t$/gm, '$1 $2');
  return {
    diff,
    problems: [...new Set([...before.problems, ...after.problems])],
  };
}

/** A diff as a fenced Markdown block (for pull request bodies and task output). @public */
export function diffAsMarkdown(diff: string): string {
  const fence = diff.includes('```') ? '~~~~' : '```';
  return `${fence}diff\n${diff.endsWith('\n') ? diff : `${diff}\n`}${fence}\n`;
}
