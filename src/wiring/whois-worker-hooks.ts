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
  let rov = new RovIndex([]);
  const irr = await IrrService.create(db, {
    source: args.irrSource,
    rovCheck: (prefix, origin) => rov.validateOrigin(prefix, Number(origin)).state,
  });
  const rtr = new RtrClient({ host: args.rtrHost, port: args.rtrPort, version: 1 });
  // Every End of Data (the first answer, then after each Serial Notify or Cache Reset) brings a new VRP set.
  rtr.on('sync', () => {
    rov = new RovIndex(sortKeys([...rtr.records]));
    irr.revalidateRpki();
  });
  rtr.on('error', () => undefined); // the worker keeps answering with the last VRP set it has
  await rtr.connect();
  // A cache that has not loaded all its sources yet answers "No Data Available": ask again (for up to ten
  // minutes) until it has. Start-up waits at most five seconds for it; until then routes show "not-found".
  const firstSync = (async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      try {
        await rtr.reset();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  await Promise.race([firstSync, new Promise((r) => setTimeout(r, 5000).unref())]);
  return irrHooks(irr);
}
