/**
 * IRR hooks for WHOIS cluster workers (loaded by src/whois/cluster-worker.ts through `hooksModule`). Each worker
 * builds its own IRR service over the shared database (its route index follows the change feed) and follows
 * the primary's RTR cache as a router does, so `!` commands and route objects answer with the same RPKI state
 * as the single-process server.
 */
import type { Db } from '../db/database.js';
import { IrrService } from '../irr/service.js';
import { RtrClient } from '../rtr/client.js';
import { RovIndex } from '../rtr/rov.js';
import { sortKeys } from '../rtr/vrp-set.js';
import { irrHooks } from '../whois/irr-adapter.js';

export interface WorkerHooksArgs {
  irrSource?: string;
  rtrHost: string;
  rtrPort: number;
}

export async function whoisHooks(db: Db, args: WorkerHooksArgs): ReturnType<typeof irrHooks> {
  const rtr = new RtrClient({ host: args.rtrHost, port: args.rtrPort, version: 1 });
  await rtr.connect();
  await rtr.reset();
  let rov = new RovIndex(sortKeys([...rtr.records]));
  const irr = await IrrService.create(db, {
    source: args.irrSource,
    rovCheck: (prefix, origin) => rov.validateOrigin(prefix, Number(origin)).state,
  });
  // Every End of Data (after a Serial Notify or a Cache Reset) brings a new VRP set: re-validate the routes.
  rtr.on('sync', () => {
    rov = new RovIndex(sortKeys([...rtr.records]));
    irr.revalidateRpki();
  });
  rtr.on('error', () => undefined); // the worker keeps answering with the last VRP set it has
  return irrHooks(irr);
}
