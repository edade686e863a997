import { ConfigReader } from '@backstage/config';
import { readArgoCdConfig } from './config';

describe('readArgoCdConfig', () => {
  it('reads argocd.instances and the Roadie/community appLocatorMethods keys', () => {
    const cfg = readArgoCdConfig(
      new ConfigReader({
        argocd: {
          username: 'admin',
          password: 'secret',
          sandbox: true,
          instances: [
            { name: 'local', url: 'http://localhost:8090/local/', token: 't' },
          ],
          appLocatorMethods: [
            {
              type: 'config',
              instances: [
                { name: 'roadie-style', url: 'https://argocd.example.com' },
                {
                  name: 'own-user',
                  url: 'https://b.example.com',
                  username: 'u',
                  password: 'p',
                },
              ],
            },
            { type: 'something-else', instances: [] },
          ],
        },
      }),
    );
    expect(cfg.sandbox).toBe(true);
    expect(cfg.instances).toEqual([
      expect.objectContaining({
        name: 'local',
        url: 'http://localhost:8090/local',
        token: 't',
        username: undefined,
      }),
      expect.objectContaining({
        name: 'roadie-style',
        username: 'admin',
        password: 'secret',
        externalUrl: 'https://argocd.example.com',
        timeoutMs: 5000,
      }),
      expect.objectContaining({
        name: 'own-user',
        username: 'u',
        password: 'p',
      }),
    ]);
  });

  it('names the key when an instance cannot work', () => {
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          argocd: { instances: [{ name: 'x', url: 'http://a' }] },
        }),
      ),
    ).toThrow(
      'Argo CD instance "x" (argocd.instances[0]) needs a token, or a username and password',
    );
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          argocd: { instances: [{ name: 'x', url: 'ftp://a', token: 't' }] },
        }),
      ),
    ).toThrow('argocd.instances[0].url must be an http(s) URL');
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          argocd: {
            instances: [
              { name: 'x', url: 'http://a', token: 't' },
              { name: 'x', url: 'http://b', token: 't' },
            ],
          },
        }),
      ),
    ).toThrow('configured twice');
    expect(readArgoCdConfig(new ConfigReader({})).instances).toEqual([]);
  });

  it('defaults to a shared list and prefetch, and checks their settings', () => {
    const defaults = readArgoCdConfig(new ConfigReader({}));
    expect(defaults).toMatchObject({
      listCacheTtlMs: 15000,
      historyLimit: 10,
      sharedList: true,
      prefetch: { enabled: true, concurrency: 4, maxQueued: 200 },
    });
    expect(
      readArgoCdConfig(
        new ConfigReader({
          argocd: {
            sharedList: false,
            prefetch: { enabled: false, concurrency: 2, maxQueued: 10 },
          },
        }),
      ),
    ).toMatchObject({
      sharedList: false,
      prefetch: { enabled: false, concurrency: 2, maxQueued: 10 },
    });
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({ argocd: { prefetch: { concurrency: 0 } } }),
      ),
    ).toThrow('argocd.prefetch.concurrency must be a positive integer');
    expect(() =>
      readArgoCdConfig(new ConfigReader({ argocd: { historyLimit: 1.5 } })),
    ).toThrow('argocd.historyLimit must be a positive integer');
  });

  it('watches by default, and checks the watch settings', () => {
    expect(readArgoCdConfig(new ConfigReader({})).watch).toEqual({
      enabled: true,
      retryMinMs: 1000,
      retryMaxMs: 30_000,
      signalDebounceMs: 1000,
      signalHeartbeatMs: 10_000,
    });
    expect(
      readArgoCdConfig(
        new ConfigReader({ argocd: { watch: { enabled: false } } }),
      ).watch.enabled,
    ).toBe(false);
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({ argocd: { watch: { retryMinMs: 0 } } }),
      ),
    ).toThrow(
      'argocd.watch.retryMinMs must be a positive whole number of milliseconds',
    );
    expect(() =>
      readArgoCdConfig(
        new ConfigReader({
          argocd: { watch: { retryMinMs: 5000, retryMaxMs: 1000 } },
        }),
      ),
    ).toThrow(
      'argocd.watch.retryMaxMs must not be smaller than argocd.watch.retryMinMs',
    );
  });
});
