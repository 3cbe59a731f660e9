/** RDAP server (issue 5): register with `registerRdapRoutes(fastify, { db, ... })`. */
export { registerRdapRoutes, DEFAULT_RATE_LIMIT, type RdapOptions } from './routes.js';
export { listDisclosures, type DisclosureRecord } from './access.js';
export { bootstrapFile } from './bootstrap.js';
export { RDAP_MEDIA_TYPE } from './values.js';
