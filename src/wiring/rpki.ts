/**
 * Connects the hosted RPKI CA to the registry: the CA's certificates follow what the registry says each
 * member holds and the ROAs members registered. Any committed change (in this process, announced by the
 * registry's notifier; or by another process, seen by polling the feed serial) triggers one re-sync.
 */
import type { Db } from '../db/database.js';
import { currentSerial } from '../registry/feed.js';
import type { Registry } from '../registry/registry.js';
import { loadRegistryInput } from '../rpki/registry-source.js';
import type { RpkiService } from '../rpki/index.js';

export interface RpkiSync {
  /** Re-syncs now (also what ROA writes call). */
  syncNow(): Promise<void>;
  close(): void;
}

export function followRegistry(rpki: RpkiService, db: Db, registry: Registry, onError: (error: unknown) => void, pollMs = 5000): RpkiSync {
  let synced = -1;
  let running: Promise<void> = Promise.resolve();
  let again = false;
  let busy = false;
  const syncNow = (): Promise<void> => {
    if (busy) {
      again = true;
      return running;
    }
    busy = true;
    running = (async () => {
      do {
        again = false;
        const serial = await currentSerial(db);
        await rpki.sync(await loadRegistryInput(db));
        synced = serial;
      } while (again);
    })().catch(onError).finally(() => {
      busy = false;
    });
    return running;
  };
  const unsubscribe = registry.changes.onSerial(() => void syncNow());
  const timer = setInterval(() => {
    currentSerial(db).then((s) => { if (s !== synced) void syncNow(); }, onError);
  }, pollMs);
  timer.unref();
  return {
    syncNow,
    close() {
      unsubscribe();
      clearInterval(timer);
    },
  };
}
