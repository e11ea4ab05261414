// The layering of the tree, checked by dependency-cruiser (test/unit/layering.test.ts runs it; docs/ARCHITECTURE.md
// draws it). Paths are relative to the repository root.

/**
 * The published contracts — each part's api.ts, the composed events, the API's own (errors, event stream,
 * token, ready line): pure (zod), so the renderer bundles and validates with them.
 */
const CONTRACT = '^p2p/([^/]+/api\\.ts|api/contract\\.ts|events\\.ts|event-hub\\.ts)$'
/** Rules that run on a value alone: no disk, no network, no libp2p, no database. */
const PURE = [
  '^p2p/calendar/bayou/',
  '^p2p/ledger/rules/',
  '^p2p/dht/chord/(ring|routing-table|lookup|records|contact-failures)\\.ts$',
  '^p2p/files/(dag|plan|meter)\\.ts$'
].join('|')
const IO = [
  '^(node:)?(fs|fs/promises|net|http|https|dgram|child_process|worker_threads)$',
  'node_modules/(libp2p|@libp2p|level|classic-level|datastore-level|ws)/'
].join('|')
const CAPABILITY = '^p2p/(files|calendar|ledger)/'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Arrows point one way: a cycle means two modules are really one, or one reaches back up.',
      severity: 'error',
      from: {},
      to: { circular: true }
    },
    {
      name: 'core-without-shell',
      comment: 'p2p/ runs headless and in tests: it never imports Electron, the shell (main/) or the UI (renderer/).',
      severity: 'error',
      from: { path: '^p2p/' },
      to: { path: '^(main|renderer)/|^electron$|node_modules/electron/' }
    },
    {
      name: 'renderer-sees-only-contracts',
      comment: 'The renderer talks to the core over the API only: from p2p/ it imports just the published contracts.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^p2p/', pathNot: CONTRACT }
    },
    {
      name: 'contracts-are-pure',
      comment: 'A published contract is bundled into the renderer: it imports zod and other contracts, anything else type-only.',
      severity: 'error',
      from: { path: CONTRACT },
      to: { pathNot: `${CONTRACT}|node_modules/zod/`, dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'pure-rules-do-no-io',
      comment: 'Pure rule modules are tested by rule code alone: no fs, net, libp2p or LevelDB (types are fine).',
      severity: 'error',
      from: { path: PURE },
      to: { path: IO, dependencyTypesNot: ['type-only'] }
    },
    {
      name: 'capabilities-stay-apart',
      comment: 'files, calendar and ledger meet only in p2p/capability.ts; none imports another.',
      severity: 'error',
      from: { path: CAPABILITY },
      to: { path: CAPABILITY, pathNot: '^p2p/$1/' }
    },
    {
      name: 'api-is-generic',
      comment: 'p2p/api/ is the server, guard and router: it mounts the routes it is handed and knows no part of the peer.',
      severity: 'error',
      from: { path: '^p2p/api/' },
      to: { path: '^p2p/', pathNot: '^p2p/(api/|logger\\.ts$|coded-error\\.ts$|store/)' }
    },
    {
      name: 'node-below-dht',
      comment: 'The libp2p node is below the DHT: the DHT\'s rules are handed to it (create-node.ts options).',
      severity: 'error',
      from: { path: '^p2p/node/' },
      to: { path: '^p2p/(dht|files|calendar|ledger|api|peers)/|^p2p/peer\\.ts$' }
    }
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test|bench|scripts)/' },
    moduleSystems: ['es6', 'cjs'],
    // Most of our dependencies are ESM-only: resolve their `exports` as Node's import does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'], mainFields: ['module', 'main'] }
  }
}
