export * from './policies.js';
export * from './evaluate.js';
export * from './free-pool.js';
export * from './requests.js';
export * from './what-if.js';
