import yaml from 'yaml';
import { ENVIRONMENT_FILE_NAME, environmentDir } from './constants';
import { generateEnvironment } from './generator';
import {
  formatSpecIssues,
  parseEnvironmentSpec,
  safeParseEnvironmentSpec,
} from './spec';

const base = {
  name: 'preview-42',
  owner: 'group:default/checkout-team',
  target: 'local',
  provider: 'local',
};

const issuesOf = (input: object) => {
  const r = safeParseEnvironmentSpec(input);
  return r.success ? '' : formatSpecIssues(r.issues);
};

describe('spec.expiry', () => {
  const expiry = { ttl: '1d', expiresAt: '2026-12-07T10:00:00.000Z' };

  it('is written into environment.yaml after the resources', () => {
    const files = generateEnvironment(
      parseEnvironmentSpec({ ...base, expiry }),
    );
    const doc = yaml.parse(
      files[`${environmentDir('preview-42')}/${ENVIRONMENT_FILE_NAME}`],
    );
    expect(doc.spec.expiry).toEqual(expiry);
    expect(Object.keys(doc.spec).slice(-2)).toEqual(['resources', 'expiry']);
  });

  it('is absent for an environment that does not expire', () => {
    const files = generateEnvironment(parseEnvironmentSpec(base));
    expect(
      files[`${environmentDir('preview-42')}/${ENVIRONMENT_FILE_NAME}`],
    ).not.toContain('expiry');
  });

  it('refuses a malformed ttl or timestamp, naming the field', () => {
    expect(issuesOf({ ...base, expiry: { ...expiry, ttl: '1 day' } })).toBe(
      'spec.expiry.ttl: must be a whole number followed by m (minutes), h (hours), d (days) or w (weeks), e.g. 4h, 1d or 7d',
    );
    expect(
      issuesOf({ ...base, expiry: { ...expiry, expiresAt: 'tomorrow' } }),
    ).toBe(
      'spec.expiry.expiresAt: must be an ISO 8601 timestamp in UTC, e.g. 2026-12-07T10:00:00Z',
    );
    expect(issuesOf({ ...base, expiry: { ttl: '1d' } })).toMatch(
      /^spec\.expiry\.expiresAt: /,
    );
  });
});
