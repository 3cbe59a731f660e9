/**
 * Adapters from other modules' index.ts exports to the portal's integration interfaces. Each adapter
 * returns undefined when the module lacks what the portal needs, so the feature stays hidden.
 */
import type { Adapter, PolicyApi } from './integrations.js';

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
const fn = (mod: Record<string, unknown>, name: string): Fn | undefined => (typeof mod[name] === 'function' ? (mod[name] as Fn) : undefined);

const policy: Adapter<PolicyApi> = (mod, { db, registry }) => {
  const evaluateRequest = fn(mod, 'evaluateRequest');
  const submitRequest = fn(mod, 'submitRequest');
  const approveRequest = fn(mod, 'approveRequest');
  const denyRequest = fn(mod, 'denyRequest');
  if (!evaluateRequest || !submitRequest || !approveRequest || !denyRequest) return undefined;
  return {
    evaluate: (input) => evaluateRequest(db, input),
    submit: (input, actor) => submitRequest(registry, input, actor),
    approve: (id, actor, comment) => approveRequest(registry, id, actor, comment),
    deny: (id, actor, comment) => denyRequest(registry, id, actor, comment),
  };
};

export const ADAPTERS: { name: 'policy' | 'roas' | 'routes' | 'rov' | 'stats' | 'disclosures'; module: string; adapt: Adapter<unknown> }[] = [
  { name: 'policy', module: '../policy/index.js', adapt: policy },
];
