import { describe, it } from 'vitest';
import { expectDiskFullHandled } from '../support/disk-full.js';
import { startServer } from '../support/server.js';
import { CAN_MOUNT, SmallFilesystem } from '../support/small-filesystem.js';
import { STORE } from '../support/stores.js';

describe.runIf(STORE === 'sqlite' && CAN_MOUNT)('a full disk under SQLite', () => {
  it('answers writes with 507, logs the cause, reports not ready, and recovers when space returns', async () => {
    const disk = SmallFilesystem.mount(4);
    try {
      const server = await startServer({ store: { dataDir: disk.dir } });
      try {
        await expectDiskFullHandled(server, disk, /SQLITE_FULL/);
      } finally {
        await server.close();
      }
    } finally {
      disk.unmount();
    }
  });
});
