/**
 * The dependency rules of docs/architecture.md: no cycles; an area's store is imported by its own area
 * only (src/app.ts, the composition root, wires them all); error and domain types live outside the HTTP
 * layer (in src/kernel/, which any area may import), so only routes and the HTTP platform import from src/http/.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules and areas depend one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-area-cycles',
      severity: 'error',
      comment: 'Areas (folders under src/) depend one way.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'store-of-own-area-only',
      severity: 'error',
      comment: "An area's tables are touched only by its own store; other areas go through its service.",
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/[^/]*-store\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'http-only-from-routes',
      severity: 'error',
      comment: 'Services and stores do not depend on the HTTP layer; routes and src/http/ may.',
      from: { path: '^src/', pathNot: ['^src/http/', '-routes\\.ts$', '^src/app\\.ts$'] },
      to: { path: '^src/http/' },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
