import { APIRequestContext, expect } from '@playwright/test';

/** The fake Argo CD scripts/e2e.sh starts (packages/fake-argocd). */
export const FAKE_ARGOCD =
  process.env.FAKE_ARGOCD_URL ?? 'http://127.0.0.1:8090';

/** The parts of an Argo CD Application the live tests read and change. */
export type Application = {
  metadata: { name: string; namespace?: string };
  status?: {
    health?: { status?: string; message?: string };
    [field: string]: unknown;
  };
};

/** An application of the fake Argo CD's `instance`, read through its API as the admin. */
export async function readApplication(
  request: APIRequestContext,
  instance: string,
  name: string,
): Promise<Application> {
  const session = await request.post(
    `${FAKE_ARGOCD}/${instance}/api/v1/session`,
    { data: { username: 'admin', password: 'password' } },
  );
  expect(session.status()).toBe(200);
  const { token } = await session.json();
  const res = await request.get(
    `${FAKE_ARGOCD}/${instance}/api/v1/applications/${name}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status()).toBe(200);
  return res.json();
}

/** Replaces an application of the fake Argo CD's `instance` (its control route). */
export async function writeApplication(
  request: APIRequestContext,
  instance: string,
  application: Application,
) {
  const res = await request.put(
    `${FAKE_ARGOCD}/fake/applications/${instance}`,
    { data: application },
  );
  expect(res.status()).toBe(200);
}

/** The application with its health Degraded, saying `message`. */
export const degraded = (
  application: Application,
  message: string,
): Application => ({
  ...application,
  status: {
    ...application.status,
    health: { status: 'Degraded', message },
  },
});
