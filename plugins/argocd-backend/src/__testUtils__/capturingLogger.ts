import {
  LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** One line the root logger received. */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

/** Levels Backstage's root logger writes by default (its default level is info). */
export const DEFAULT_RECORDED_LEVELS = ['error', 'warn', 'info'];

function capturing(
  records: LogRecord[],
  fields: Record<string, unknown>,
): LoggerService {
  const log =
    (level: LogRecord['level']) =>
    (message: string, meta?: Error | JsonObject | unknown) => {
      records.push({
        level,
        message,
        meta: {
          ...fields,
          ...(meta instanceof Error ? { error: meta } : (meta as object)),
        },
      });
    };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: more => capturing(records, { ...fields, ...more }),
  };
}

/** A root logger factory that keeps every line, with its level, in `records`. */
export function capturingRootLogger(records: LogRecord[]) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => capturing(records, {}),
  });
}
