export * from './ttl';
export * from './events';
export * from './history';
