export * from './ttl';
export * from './events';
