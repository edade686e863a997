export * from './groupAncestry';
