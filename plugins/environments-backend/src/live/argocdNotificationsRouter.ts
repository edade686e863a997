import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, InputError, isError } from '@backstage/errors';
import { environmentOfApplication } from './environmentOfChange';
import { parseArgoCdNotification } from './argocdNotification';

/** Path of the Argo CD Notifications webhook under `/api/environments`. */
export const ARGOCD_NOTIFICATIONS_PATH = '/argocd-notifications';

/** Config key of the webhook's shared secret; the route exists only when it is set. */
export const ARGOCD_WEBHOOK_SECRET_KEY =
  'epicshelter.environments.notifications.argocdWebhook.secret';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether `given` equals `secret`, in time independent of where they differ. */
export function sameSecret(given: string, secret: string): boolean {
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * `POST /argocd-notifications`: Argo CD Notifications' webhook service tells
 * that an application changed. Backstage does not authenticate the caller
 * (the plugin allows it unauthenticated); the request must carry the shared
 * secret as `Authorization: Bearer <secret>`. A valid notification of an
 * environment's application goes the way of a watch event
 * (`changed(environment)`): the environment's snapshots are forgotten and
 * its incidents checked again from the backend's own view of Argo CD; the
 * state in the body is only validated and logged, never trusted.
 */
export function createArgoCdNotificationsRouter(deps: {
  secret: string;
  changed(environment: string, source: string): Promise<void>;
  logger: LoggerService;
}): express.Router {
  const router = Router();
  const parseJson = express.json({ limit: '64kb' });
  router.post(
    ARGOCD_NOTIFICATIONS_PATH,
    // The secret first: a caller without it gets 401 whatever it sends,
    // and its body is not read.
    (req, _res, next) => {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer (.+)$/.exec(header);
      if (!match || !sameSecret(match[1], deps.secret)) {
        throw new AuthenticationError(
          'An Argo CD notification needs the shared secret as "Authorization: Bearer <secret>"',
        );
      }
      next();
    },
    (req, res, next) =>
      parseJson(req, res, error =>
        next(
          error
            ? new InputError(
                `Argo CD notification rejected, nothing done: the body must be JSON of at most 64kb (${
                  isError(error) ? error.message : String(error)
                })`,
              )
            : undefined,
        ),
      ),
    async (req, res) => {
      const notification = parseArgoCdNotification(req.body);
      const environment = environmentOfApplication({
        name: notification.app,
        labels: notification.labels,
      });
      deps.logger.debug(
        `Argo CD notification: ${notification.instance}/${
          notification.namespace
        }/${notification.app} health ${notification.health}, sync ${
          notification.sync
        }, operation ${notification.operation || 'none'}; environment ${
          environment ?? 'none'
        }`,
      );
      if (environment) {
        await deps.changed(environment, 'an Argo CD notification');
      }
      res.status(202).json({ environment: environment ?? null });
    },
  );
  return router;
}
