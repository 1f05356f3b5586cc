import { createClient } from '@shared';
import { createMemoryTransport } from '../../electron/core/transport/memory';
import { contractSuite, type TransportFactory } from './suite';
import { workflowsContractSuite } from './workflows-suite';
import { mapContractSuite } from './map-suite';
import { camerasSuite } from './cameras-suite';
import { analysisContractSuite } from './analysis-suite';

const memory: TransportFactory = async (core) => {
  const open = new Set<() => void>();
  return {
    async open() {
      const transport = createMemoryTransport(core);
      open.add(transport.close);
      return {
        client: createClient(transport),
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
camerasSuite('the in-memory transport', memory);
analysisContractSuite('the in-memory transport', memory);
