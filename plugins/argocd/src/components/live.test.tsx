import { act, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  SignalApi,
  SignalSubscriber,
  signalApiRef,
} from '@backstage/plugin-signals-react';
import {
  ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
  ArgoCdApplicationsSignal,
  EntityApplicationsResponse,
} from '@epicshelter/plugin-argocd-common';
import { TEST_BACKEND, argoCdTestApi } from '../__testUtils__/argoCdTestApis';
import { ArgoCdOverviewCard } from './ArgoCdOverviewCard';
import { componentEntity, environmentApps } from './fixtures';

jest.setTimeout(30_000);

const LIST = `${TEST_BACKEND}/entities/component/default/orders-api/applications`;

type Listener = Parameters<SignalApi['subscribe']>[1];

/** A SignalApi whose messages the test sends (Backstage ships no mock of it). */
class TestSignalApi implements SignalApi {
  private readonly subscribers = new Map<string, Set<Listener>>();

  subscribe<T extends Parameters<Listener>[0]>(
    channel: string,
    onMessage: (message: T) => void,
  ): SignalSubscriber {
    const listener = onMessage as Listener;
    const set = this.subscribers.get(channel) ?? new Set<Listener>();
    this.subscribers.set(channel, set);
    set.add(listener);
    return { unsubscribe: () => set.delete(listener) };
  }

  send(message: ArgoCdApplicationsSignal) {
    act(() => {
      this.subscribers
        .get(ARGOCD_APPLICATIONS_SIGNAL_CHANNEL)
        ?.forEach(cb => cb(message));
    });
  }
}

const healthy: EntityApplicationsResponse = {
  ...environmentApps,
  items: environmentApps.items.map(a => ({
    ...a,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    healthMessage: undefined,
    conditions: [],
    operationPhase: undefined,
    operationMessage: undefined,
  })),
};

/** Renders the overview card of orders-api with a signal API the test drives. */
async function renderCard() {
  const signals = new TestSignalApi();
  await renderInTestApp(
    <EntityProvider entity={componentEntity}>
      <ArgoCdOverviewCard />
    </EntityProvider>,
    { apis: [argoCdTestApi(), [signalApiRef, signals]] },
  );
  return signals;
}

describe('live Argo CD pages', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('fetch again when the backend signals a change, keep showing the data meanwhile, and ignore a revision already acted on', async () => {
    const answers: Array<() => Promise<EntityApplicationsResponse>> = [
      async () => environmentApps,
    ];
    let release!: () => void;
    answers.push(
      () =>
        new Promise(resolve => {
          release = () => resolve(healthy);
        }),
    );
    answers.push(async () => healthy);
    let calls = 0;
    server.use(
      http.get(LIST, async () =>
        HttpResponse.json(await answers[Math.min(calls++, 2)]()),
      ),
    );
    const signals = await renderCard();
    const row = async () =>
      (await screen.findByText('dev-infrastructure')).closest('tr')!
        .textContent;
    expect(await row()).toMatch(/OutOfSync.*Degraded/);
    expect(calls).toBe(1);

    signals.send({ instance: 'local', revision: 7 });
    await waitFor(() => expect(calls).toBe(2));
    // the refetch is pending: the old data stays, no progress bar
    expect(await row()).toMatch(/Degraded/);
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    act(() => release());
    await waitFor(async () => expect(await row()).toMatch(/Synced.*Healthy/));

    // the heartbeat repeats the revision: nothing to do
    signals.send({ instance: 'local', revision: 7 });
    await new Promise(r => setTimeout(r, 100));
    expect(calls).toBe(2);

    // a revision not seen yet (e.g. the backend restarted): fetch again
    signals.send({ instance: 'local', revision: 1_000_000 });
    await waitFor(() => expect(calls).toBe(3));
  });

  it('keeps the data shown when a refetch fails', async () => {
    let calls = 0;
    server.use(
      http.get(LIST, () =>
        calls++ === 0
          ? HttpResponse.json(environmentApps)
          : HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
      ),
    );
    const signals = await renderCard();
    expect(await screen.findByText('dev-infrastructure')).toBeInTheDocument();
    signals.send({ instance: 'cloud', revision: 3 });
    await waitFor(() => expect(calls).toBe(2));
    await new Promise(r => setTimeout(r, 100));
    expect(screen.getByText('dev-infrastructure')).toBeInTheDocument();
  });
});
