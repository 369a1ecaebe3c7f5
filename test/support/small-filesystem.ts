import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** True where the tests may mount a file system of their own (as root, with tmpfs). */
export const CAN_MOUNT = process.getuid?.() === 0;

/**
 * A real, small file system (tmpfs of a fixed size) that a test can fill to the last byte, so that the
 * store meets a genuine "no space left on device".
 */
export class SmallFilesystem {
  readonly #filler: string;

  private constructor(readonly dir: string) {
    this.#filler = path.join(dir, 'filler');
  }

  static mount(megabytes: number): SmallFilesystem {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'orrery-small-fs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir]);
    return new SmallFilesystem(dir);
  }

  /** Takes every free byte. */
  fill(): void {
    const fd = openSync(this.#filler, 'a');
    const chunk = Buffer.alloc(64 * 1024);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
  }

  /** Gives the space back. */
  free(): void {
    rmSync(this.#filler, { force: true });
  }

  unmount(): void {
    execFileSync('umount', ['-l', this.dir]);
    rmdirSync(this.dir);
  }
}
