import type { ApiRoute } from '../route.js';
import { changeRoutes } from './changes.js';
import { delegationRoutes } from './delegations.js';
import { directoryRoutes } from './directory.js';
import { policyRoutes } from './policy.js';

export const API_ROUTES: readonly ApiRoute[] = [...directoryRoutes, ...delegationRoutes, ...policyRoutes, ...changeRoutes];
