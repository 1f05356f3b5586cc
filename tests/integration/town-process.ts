/**
 * A town console in its own process, for the kill -9 test: opens the core on a data directory,
 * configures the link from argv (JSON) and runs until killed. Prints "ready" once configured.
 */
import { openTown } from './town';

const [dataDir, configJson, timingsJson] = process.argv.slice(2);
const town = openTown(dataDir!, JSON.parse(timingsJson ?? '{}'));
await town.call('uplink.configure', { config: JSON.parse(configJson!) });
console.log('ready');
setInterval(() => {}, 60_000);
