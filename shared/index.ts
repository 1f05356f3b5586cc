export * from './domain/incident';
export * from './domain/lifecycle';
export * from './domain/categories';
export * from './domain/geo';
export * from './domain/grid';
export * from './contract/errors';
export * from './contract/contract';
export * from './contract/transport';
