export * from './errors.js';
export * from './events.js';
export * from './schemas.js';
export * from './sequence.js';
export * from './problems.js';
export * from './reviews.js';
export * from './movies.js';
export * from './search.js';
