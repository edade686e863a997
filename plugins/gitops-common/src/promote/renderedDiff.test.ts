import { planPromotion } from './planPromotion';
import { promotionFixture } from './promotionFixture';
import { diffAsMarkdown, renderedWorkloadsDiff } from './renderedDiff';
import { renderWorkloads } from './renderWorkloads';

const repo = promotionFixture();

describe('renderWorkloads', () => {
  it('builds the overlay with namespace, labels, patches and images', () => {
    const { yaml, problems } = renderWorkloads(repo, 'staging');
    expect(problems).toEqual([]);
    expect(yaml).toContain('image: ghcr.io/epicshelter/orders-api:1.2.0');
    expect(yaml).toContain('image: ghcr.io/epicshelter/worker:0.9.0');
    expect(yaml).toContain('namespace: staging');
    expect(yaml).toContain('epicshelter.io/environment: staging');
    expect(yaml).toContain('replicas: 2');
  });

  it('says what is missing instead of failing', () => {
    const { ['apps/worker/base/deployment.yaml']: _gone, ...rest } = repo;
    expect(renderWorkloads(rest, 'staging').problems).toEqual([
      'apps/worker/base/deployment.yaml has no manifests',
    ]);
  });
});

describe('renderedWorkloadsDiff', () => {
  it('shows the image tag change of a promotion and nothing else', () => {
    const plan = planPromotion({
      repo,
      from: 'dev',
      to: 'staging',
      workloads: ['orders-api'],
    });
    const { diff, problems } = renderedWorkloadsDiff(
      repo,
      'staging',
      plan.changed,
    );
    expect(problems).toEqual([]);
    const changes = diff.split('\n').filter(l => /^[-+][^-+]/.test(l));
    expect(changes).toEqual([
      '-          image: ghcr.io/epicshelter/orders-api:1.2.0',
      '+          image: ghcr.io/epicshelter/orders-api:1.3.0',
    ]);
    expect(diff).toMatch(
      /^--- a\/staging\/workloads \(kustomize build\)\n\+\+\+ b\/staging\/workloads \(kustomize build\)\n@@ /,
    );
  });

  it('shows replicas when config is copied', () => {
    const plan = planPromotion({
      repo,
      from: 'dev',
      to: 'staging',
      copyConfig: true,
    });
    const { diff } = renderedWorkloadsDiff(repo, 'staging', plan.changed);
    expect(diff).toContain('-  replicas: 2\n+  replicas: 3\n');
  });

  it('is empty when nothing renders differently', () => {
    expect(renderedWorkloadsDiff(repo, 'staging', []).diff).toBe('');
  });

  it('fences a diff for Markdown', () => {
    expect(diffAsMarkdown('-a\n+b\n')).toBe('```diff\n-a\n+b\n```\n');
    expect(diffAsMarkdown('+```')).toBe('~~~~diff\n+```\n~~~~\n');
  });
});
