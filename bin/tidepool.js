#!/usr/bin/env node
// Launcher for `tidepool`/`npx tidepool`. The core needs Node >= 22 (libp2p 3, type stripping);
// when the system Node is older, re-run under the Node 22 that the `node` dev dependency installed.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const compiled = join(root, 'dist', 'p2p', 'cli.js')
const source = join(root, 'p2p', 'cli.ts')
const major = Number(process.versions.node.split('.')[0])
const bundledNode = join(root, 'node_modules', 'node', 'bin', 'node')

let node = process.execPath
if (major < 22) {
  if (!existsSync(bundledNode)) {
    process.stderr.write(`tidepool: needs Node >= 22 (this is ${process.version}); run \`npm install\` in ${root} to fetch it\n`)
    process.exit(1)
  }
  node = bundledNode
}
// Prefer the sources (Node 22 strips types); a packaged build ships only dist/.
const entry = existsSync(source) ? source : compiled
const child = spawn(node, [entry, ...process.argv.slice(2)], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => {
  if (signal != null) process.kill(process.pid, signal)
  else process.exit(code ?? 1)
})
