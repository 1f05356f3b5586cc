import { vi } from 'vitest';
import { createClient } from '@shared';
import { createMemoryTransport } from '../../electron/core/transport/memory';
import { contractSuite, type TransportFactory } from './suite';
import { workflowsContractSuite } from './workflows-suite';
import { mapContractSuite } from './map-suite';
import { camerasSuite } from './cameras-suite';
import { analysisContractSuite } from './analysis-suite';
import { uplinkSuite } from './uplink-suite';
import { signIn } from './login';
import { peopleSuite } from './people-suite';
import { recoverySuite } from './recovery-suite';
import { diagnosticsSuite } from './diagnostics-suite';

// Every window logs in (argon2id, ~50 ms a hash here, seconds while seven builds share two cores): 5 s is too tight.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const memory: TransportFactory = async (core) => {
  const open = new Set<() => void>();
  return {
    async open(options) {
      const transport = createMemoryTransport(core);
      open.add(transport.close);
      const client = createClient(transport);
      if (options?.signedIn !== false) await signIn(core, client);
      return {
        client,
        close: async () => {
          transport.close();
          open.delete(transport.close);
        },
      };
    },
    async close() {
      for (const close of open) close();
      open.clear();
    },
  };
};

contractSuite('the in-memory transport', memory);
workflowsContractSuite('the in-memory transport', memory);
mapContractSuite('the in-memory transport', memory);
uplinkSuite('the in-memory transport', memory);
camerasSuite('the in-memory transport', memory);
analysisContractSuite('the in-memory transport', memory);
peopleSuite('the in-memory transport', memory);
recoverySuite('the in-memory transport', memory);
diagnosticsSuite('the in-memory transport', memory);
