import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { redactServerPaths, reportingFailures } from './taskFailure';

describe('redactServerPaths', () => {
  const roots = [
    { path: '/srv/data/gitops-repository', name: 'gitops-repository' },
    { path: '/tmp/ws-1', name: 'workspace' },
  ];

  it('names paths inside a known root relative to it, and other paths by their last segment', () => {
    expect(
      redactServerPaths(
        'GitOps repository /srv/data/gitops-repository is locked: /srv/data/gitops-repository/.git/index.lock exists.',
        roots,
      ),
    ).toBe(
      'GitOps repository gitops-repository is locked: gitops-repository/.git/index.lock exists.',
    );
    expect(
      redactServerPaths(
        'nothing in /tmp/ws-1/gitops (see /etc/secret/x).',
        roots,
      ),
    ).toBe('nothing in workspace/gitops (see x).');
    expect(
      redactServerPaths('published to file:///srv/other/repo', roots),
    ).toBe('published to repo');
  });

  it('leaves URLs, repository-relative paths and plain text alone', () => {
    const text =
      'Cannot read https://github.com/o/r at branch "main": environments/x/environment.yaml and github.com?owner=o&repo=r';
    expect(redactServerPaths(text, roots)).toBe(text);
  });
});

describe('reportingFailures', () => {
  const config = new ConfigReader({
    gitops: { repository: '/srv/data/gitops-repository' },
  });
  const lines: string[] = [];
  const logger: LoggerService = {
    error: m => lines.push(m),
    warn: m => lines.push(m),
    info: m => lines.push(m),
    debug: m => lines.push(m),
    child: () => logger,
  };
  const ctx = { workspacePath: '/tmp/ws-1', logger };

  it('gives an expected failure its message as stack, without server paths', async () => {
    const error = await reportingFailures(ctx, config, async () => {
      throw new ConflictError(
        'GitOps repository /srv/data/gitops-repository has uncommitted changes',
      );
    }).catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      'GitOps repository gitops-repository has uncommitted changes',
    );
    expect(error.stack).toBe(error.message);
  });

  it('keeps the stack of an unexpected failure', async () => {
    const error = await reportingFailures(ctx, config, async () => {
      throw new TypeError('x is undefined');
    }).catch(e => e);
    expect(error.stack).toMatch(/^TypeError: x is undefined\n\s+at /);
  });

  it('passes results through', async () => {
    await expect(reportingFailures(ctx, config, async () => 42)).resolves.toBe(
      42,
    );
    await expect(
      reportingFailures(ctx, config, async () => {
        throw new InputError('bad');
      }),
    ).rejects.toThrow('bad');
  });

  it('hands the work a logger that leaves out server paths', async () => {
    await reportingFailures(ctx, config, async log => {
      log
        .child({ step: 'x' })
        .info(
          'Committed 2 file(s) to main in /srv/data/gitops-repository: abc',
        );
    });
    expect(lines).toEqual([
      'Committed 2 file(s) to main in gitops-repository: abc',
    ]);
  });
});
