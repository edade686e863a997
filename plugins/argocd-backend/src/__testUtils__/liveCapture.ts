import { createServiceFactory } from '@backstage/backend-plugin-api';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';

/**
 * Events and signals services that record what the plugin publishes
 * (`features` of the test backend), with `published` and `signalled`.
 */
export function liveCapture() {
  const published: EventParams[] = [];
  const signalled: SignalPayload[] = [];
  return {
    published,
    signalled,
    features: [
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (params: EventParams) => {
            published.push(params);
          },
          subscribe: async () => {},
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: SignalPayload<any>) => {
            signalled.push(signal);
          },
        }),
      }),
    ],
  };
}

/** Polls `ok` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  ok: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}
