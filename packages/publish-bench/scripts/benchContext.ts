import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const quietLogger: any = {
  info: () => {},
  warn: () => {},
  error: (m: string) => process.stderr.write(`${m}\n`),
  debug: () => {},
  child: () => quietLogger,
};

/**
 * A minimal scaffolder action context for the benchmarks: a quiet logger,
 * checkpoints that just run, a signed-in initiator; outputs are collected
 * into `outputs` when given.
 */
export function benchContext(
  workspacePath: string,
  input: Record<string, unknown>,
  outputs?: Record<string, unknown>,
): any {
  return {
    logger: quietLogger,
    workspacePath,
    input,
    output: (name: string, value: unknown) => {
      if (outputs) outputs[name] = value;
    },
    checkpoint: async ({ fn }: { fn: () => Promise<unknown> }) => fn(),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tmp-')),
    getInitiatorCredentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    }),
    task: { id: 'bench' },
  };
}
