#!/usr/bin/env node
// Launcher for `tidepool` / `npx tidepool`. The core needs Node >= 22 (libp2p 3, type stripping):
// under Node 22+ it runs in this process; under an older Node it re-runs under the Node 22 that the
// `node` dev dependency installed, as a child that exits when this launcher does.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'p2p', 'cli.ts')
// A packaged build ships only the compiled dist/.
const entry = existsSync(source) ? source : join(root, 'dist', 'p2p', 'cli.js')
const major = Number(process.versions.node.split('.')[0])

if (major >= 22) {
  const { runCli } = await import(pathToFileURL(entry).href)
  runCli(process.argv.slice(2))
} else {
  const bundledNode = join(root, 'node_modules', 'node', 'bin', 'node')
  if (!existsSync(bundledNode)) {
    process.stderr.write(`tidepool: needs Node >= 22 (this is ${process.version}); run \`npm install\` in ${root} to fetch it\n`)
    process.exit(1)
  }
  const child = spawn(bundledNode, [entry, ...process.argv.slice(2)], {
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { ...process.env, TIDEPOOL_PARENT_PIPE: '1' }
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => {
    if (signal != null) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}
