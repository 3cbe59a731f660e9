// Child process for the RTR benchmark: numreg's RTR service alone, on one VRP JSON file, so its load
// time and RSS are measured like StayRTR's (a separate process). Prints "listening PORT" when ready.
import { startRtrService } from '../../src/rtr/index.js';

const [file, port] = process.argv.slice(2);
const svc = await startRtrService({ vrpJsonPath: file, port: Number(port ?? 0), pollMs: 1000 });
process.stdout.write(`listening ${svc.port}\n`);
process.on('SIGTERM', () => void svc.close().then(() => process.exit(0)));
