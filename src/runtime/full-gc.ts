/**
 * A full garbage collection on demand, for right after a bulk load (the registry view): the load leaves
 * hundreds of megabytes of dead rows in the old generation, and until V8 decides on a major collection of its
 * own, every young-generation collection pays for walking them (a scavenge's pause grows with the old
 * generation's size). Node has no API for this without the --expose-gc flag; V8 lets a running process turn
 * the flag on and take the function from a fresh context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

export function fullGc(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}
