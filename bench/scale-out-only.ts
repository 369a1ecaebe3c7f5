import { startPostgres } from './postgres.js';
import { benchScaleOut } from './scale-out.js';

// The scale-out bench alone: `npx tsx bench/scale-out-only.ts`.
const postgres = await startPostgres();
try {
  await benchScaleOut(postgres);
} finally {
  await postgres.stop();
}
