import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ENVIRONMENT_KIND,
  checkComputedTopology,
  computeTopology,
  formatTopology,
  formatValidationIssues,
  generateEnvironment,
  renderPlatform,
  safeParseEnvironmentSpec,
  validateNewEnvironment,
  validateRepository,
} from '@epicshelter/plugin-gitops-common';
import { loadBlueprint } from './blueprint';
import { readTreeFromDir, writeFiles } from './fs';

/** Where the CLI writes its output. @public */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage:
  gitops render --spec <env.yaml> --out <repo-dir>   generate an environment into a GitOps repository
  gitops validate <repo-dir> [--repo-url <url>...]   validate a GitOps repository tree
  gitops init --out <dir>                            copy the repository blueprint into <dir>
  gitops platform --out <dir> [--repo-url <url>]     (re)render the platform API (platform/) into <dir>
  gitops topology <repo-dir>                         print which cluster's Argo CD applies what; fail on topology faults
`;

class UsageError extends Error {}

function takeOptions(args: string[]): {
  positional: string[];
  options: Record<string, string[]>;
} {
  const positional: string[] = [];
  const options: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [key, inline] = a.slice(2).split('=', 2);
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value`);
      (options[key] ??= []).push(value);
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

function one(options: Record<string, string[]>, key: string): string {
  const v = options[key];
  if (!v || v.length !== 1) throw new UsageError(`--${key} is required (once)`);
  return v[0];
}

/** Reads a spec file: either the bare spec or an Environment document. @public */
export function specFromYaml(text: string): unknown {
  const doc = parse(text);
  if (
    doc &&
    typeof doc === 'object' &&
    (doc as Record<string, unknown>).kind === ENVIRONMENT_KIND
  ) {
    return (doc as Record<string, unknown>).spec;
  }
  return doc;
}

/**
 * Runs the gitops CLI; returns the exit code (0 ok, 1 invalid input or
 * repository, 2 usage error).
 * @public
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { positional, options } = takeOptions(rest);
    switch (command) {
      case 'render': {
        const specFile = one(options, 'spec');
        const outDir = one(options, 'out');
        const input = specFromYaml(await fs.readFile(specFile, 'utf8'));
        const parsed = safeParseEnvironmentSpec(input);
        if (!parsed.success) {
          io.err(`${specFile}: invalid environment spec; nothing was written`);
          for (const i of parsed.issues) io.err(`  ${i.path}: ${i.message}`);
          return 1;
        }
        const existing = existsSync(outDir)
          ? await readTreeFromDir(outDir)
          : {};
        const issues = validateNewEnvironment(parsed.spec, existing);
        if (issues.length > 0) {
          io.err(
            `${specFile}: the environment does not fit ${outDir}; nothing was written`,
          );
          for (const i of issues) io.err(`  ${i.path}: ${i.message}`);
          return 1;
        }
        const files = generateEnvironment(parsed.spec);
        await writeFiles(outDir, files);
        for (const f of Object.keys(files).sort())
          io.out(`wrote ${path.join(outDir, f)}`);
        return 0;
      }
      case 'validate': {
        if (positional.length !== 1)
          throw new UsageError('validate needs exactly one directory');
        const dir = positional[0];
        if (!existsSync(dir)) {
          io.err(`${dir} does not exist`);
          return 1;
        }
        const files = await readTreeFromDir(dir);
        const result = validateRepository(files, {
          repoURLs: options['repo-url'],
        });
        if (!result.ok) {
          io.err(formatValidationIssues(result.issues));
          io.err(`${result.issues.length} problem(s) in ${dir}`);
          return 1;
        }
        io.out(`${dir}: ${Object.keys(files).length} files valid`);
        return 0;
      }
      case 'topology': {
        if (positional.length !== 1)
          throw new UsageError('topology needs exactly one directory');
        const dir = positional[0];
        if (!existsSync(dir)) {
          io.err(`${dir} does not exist`);
          return 1;
        }
        const topology = computeTopology(await readTreeFromDir(dir));
        io.out(formatTopology(topology));
        const issues = checkComputedTopology(topology);
        if (issues.length > 0) {
          io.err(formatValidationIssues(issues));
          io.err(`${issues.length} topology problem(s) in ${dir}`);
          return 1;
        }
        return 0;
      }
      case 'init': {
        const outDir = one(options, 'out');
        if (existsSync(outDir) && (await fs.readdir(outDir)).length > 0) {
          io.err(`${outDir} is not empty; refusing to overwrite`);
          return 1;
        }
        const files = await loadBlueprint(options.blueprint?.[0]);
        await writeFiles(outDir, files);
        io.out(
          `wrote the blueprint (${
            Object.keys(files).length
          } files) to ${outDir}`,
        );
        return 0;
      }
      case 'platform': {
        const outDir = one(options, 'out');
        const files = renderPlatform({
          repoURL: options['repo-url']?.[0],
          revision: options.revision?.[0],
        });
        await fs.rm(path.join(outDir, 'platform'), {
          recursive: true,
          force: true,
        });
        await writeFiles(outDir, files);
        io.out(
          `wrote ${Object.keys(files).length} platform files to ${outDir}`,
        );
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`gitops: ${e.message}\n${USAGE}`);
      return 2;
    }
    io.err(`gitops: ${(e as Error).message}`);
    return 1;
  }
}
