export * from './domain/incident';
export * from './domain/lifecycle';
export * from './domain/categories';
export * from './domain/cameras';
export * from './domain/alarms';
export * from './contract/errors';
export * from './contract/contract';
export * from './contract/transport';
