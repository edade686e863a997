import { act, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  SignalApi,
  SignalSubscriber,
  signalApiRef,
} from '@backstage/plugin-signals-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';
import { CrossplaneClient, crossplaneApiRef } from '../api';
import { CrossplaneOverviewCard } from '../components/CrossplaneOverviewCard';
import resources from '../__fixtures__/resources.json';
import { environmentEntity } from '../__fixtures__/environmentEntity';
import { signalKey } from './signalKey';

/** A typed fake of the signals API: tests deliver messages themselves. */
class FakeSignalApi implements SignalApi {
  private readonly subscribers = new Set<{
    channel: string;
    onMessage: (message: any) => void;
  }>();

  subscribe(
    channel: string,
    onMessage: (message: any) => void,
  ): SignalSubscriber {
    const sub = { channel, onMessage };
    this.subscribers.add(sub);
    return { unsubscribe: () => this.subscribers.delete(sub) };
  }

  send(channel: string, message: Record<string, unknown>) {
    for (const s of this.subscribers) {
      if (s.channel === channel) s.onMessage(message);
    }
  }

  get count() {
    return this.subscribers.size;
  }
}

const msw = setupServer();
registerMswTestHooks(msw);

const API = 'http://backstage.test/api/epicshelter-crossplane';

/** Serves the fixture, the cluster failing from the second answer on. */
function serveResources() {
  let calls = 0;
  msw.use(
    http.get(`${API}/entity/resource/default/dev/resources`, () => {
      calls++;
      const body = structuredClone(
        resources,
      ) as unknown as CrossplaneResourcesResponse;
      if (calls > 1) {
        body.clusters[0].error = { name: 'Error', message: `answer ${calls}` };
      }
      return HttpResponse.json(body);
    }),
  );
  return () => calls;
}

async function renderCard(signals?: FakeSignalApi) {
  const discoveryApi = { getBaseUrl: async () => API };
  const fetchApi = new MockFetchApi();
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [crossplaneApiRef, new CrossplaneClient({ discoveryApi, fetchApi })],
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ]}
    >
      <EntityProvider entity={environmentEntity}>
        <CrossplaneOverviewCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('live Crossplane card', () => {
  it('fetches again on a signal, keeping what it shows meanwhile, and ignores a repeated revision', async () => {
    const calls = serveResources();
    const signals = new FakeSignalApi();
    await renderCard(signals);
    expect(await screen.findByText(/Sandbox data/)).toBeInTheDocument();
    expect(calls()).toBe(1);
    expect(signals.count).toBe(1);

    act(() =>
      signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
        cluster: 'sandbox',
        revision: 7,
      }),
    );
    // no spinner while the next answer loads: the card keeps its content
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByText(/Sandbox data/)).toBeInTheDocument();
    expect(
      await screen.findByText(/Cluster sandbox unreachable: answer 2/),
    ).toBeInTheDocument();
    expect(calls()).toBe(2);

    // the backend re-announcing revision 7 changes nothing; a new one does
    act(() =>
      signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
        cluster: 'sandbox',
        revision: 7,
      }),
    );
    await new Promise(r => setTimeout(r, 700));
    expect(calls()).toBe(2);
    act(() =>
      signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
        cluster: 'sandbox',
        revision: 8,
      }),
    );
    expect(
      await screen.findByText(/Cluster sandbox unreachable: answer 3/),
    ).toBeInTheDocument();
  });

  it('gathers a burst of signals into one fetch', async () => {
    const calls = serveResources();
    const signals = new FakeSignalApi();
    await renderCard(signals);
    await screen.findByText(/Sandbox data/);
    act(() => {
      for (let revision = 1; revision <= 5; revision++) {
        signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
          cluster: 'sandbox',
          revision,
        });
      }
    });
    await screen.findByText(/unreachable: answer 2/);
    await new Promise(r => setTimeout(r, 700));
    expect(calls()).toBe(2);
  });

  it('works without the signals plugin', async () => {
    const calls = serveResources();
    await renderCard();
    expect(await screen.findByText(/Sandbox data/)).toBeInTheDocument();
    await waitFor(() => expect(calls()).toBe(1));
  });
});

describe('signalKey', () => {
  it('names the channel, the cluster or instance and the revision', () => {
    expect(signalKey('c', { cluster: 'prod', revision: 3 })).toBe('c|prod|3');
    expect(signalKey('a', { instance: 'local', revision: 4 })).toBe(
      'a|local|4',
    );
    expect(signalKey('c', { cluster: 'prod' })).toBeUndefined();
  });
});
