import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  SignalApi,
  SignalSubscriber,
  signalApiRef,
} from '@backstage/plugin-signals-react';
import { registerMswTestHooks } from '@backstage/test-utils';
import { renderWithCrossplaneApi } from '../__testUtils__/renderWithCrossplaneApi';
import {
  CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';
import { CrossplaneOverviewCard } from '../components/CrossplaneOverviewCard';
import { CrossplaneResourcesContent } from '../components/CrossplaneResourcesContent';
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

function renderCard(
  signals?: FakeSignalApi,
  element: JSX.Element = <CrossplaneOverviewCard />,
) {
  return renderWithCrossplaneApi(element, {
    baseUrl: API,
    entity: environmentEntity,
    apis: signals ? [[signalApiRef, signals]] : [],
  });
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

describe('live Crossplane tab', () => {
  beforeAll(() => {
    // jsdom has no SVG layout; DependencyGraph measures nodes with getBBox.
    (window.SVGElement.prototype as any).getBBox = () => ({
      x: 0,
      y: 0,
      width: 200,
      height: 60,
    });
  });

  it('shows the open node’s new state in its panel after a signal', async () => {
    const NODE = 'sandbox:rds.aws.m.upbound.io/Instance:dev:orders-db-hk2x9';
    let calls = 0;
    msw.use(
      http.get(`${API}/entity/resource/default/dev/resources`, () => {
        calls++;
        const body = structuredClone(
          resources,
        ) as unknown as CrossplaneResourcesResponse;
        if (calls > 1) {
          const node = body.clusters[0].nodes.find(n => n.id === NODE)!;
          node.ready = 'False';
          node.conditions = [
            {
              type: 'Ready',
              status: 'False',
              reason: 'ReconcileError',
              message: 'quota exceeded (answer 2)',
            },
          ];
        }
        return HttpResponse.json(body);
      }),
      http.get(`${API}/entity/resource/default/dev/events`, () =>
        HttpResponse.json({ events: [], errors: [] }),
      ),
      http.get(`${API}/entity/resource/default/dev/yaml`, () =>
        HttpResponse.json({ nodeId: NODE, yaml: 'kind: Instance' }),
      ),
    );
    const signals = new FakeSignalApi();
    await renderCard(signals, <CrossplaneResourcesContent hideDesiredVsLive />);
    fireEvent.click(
      await screen.findByTestId('crossplane-node-Instance-orders-db-hk2x9'),
    );
    const panel = await screen.findByRole('dialog', {
      name: 'Instance orders-db-hk2x9',
    });
    expect(panel).not.toHaveTextContent('quota exceeded');
    act(() =>
      signals.send(CROSSPLANE_RESOURCES_SIGNAL_CHANNEL, {
        cluster: 'sandbox',
        revision: 1,
      }),
    );
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('dialog', { name: 'Instance orders-db-hk2x9' }),
        ).getAllByText(/quota exceeded \(answer 2\)/).length,
      ).toBeGreaterThan(0),
    );
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
