import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm run build:portal` writes the Portal, and where Orrery serves it from. */
export const PORTAL_OUT_DIR = fileURLToPath(new URL('./dist', import.meta.url));

// The development server proxies every API path to a running Orrery (ORRERY_URL, default the usual local one).
const api = process.env.ORRERY_URL ?? 'http://127.0.0.1:8080';
const API_PREFIXES = ['/v2', '/v3', '/api', '/auth', '/data', '/openapi.json', '/health', '/ready', '/docs'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: PORTAL_OUT_DIR, emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 800 },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(API_PREFIXES.map((prefix) => [prefix, { target: api, changeOrigin: false }])),
  },
});
