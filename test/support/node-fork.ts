// Electron's utilityProcess.fork, stood in for by Node's child_process.fork: main/core-process.ts driven for real.
import { fork } from 'node:child_process'
import type { CoreChild, ForkCore } from '../../main/core-process.ts'

export const nodeFork: ForkCore = (modulePath, args, options): CoreChild => {
  const child = fork(modulePath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: options.env, cwd: options.cwd })
  return {
    get pid () { return child.pid },
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => child.kill('SIGTERM'),
    on (event: 'spawn' | 'exit', listener: (code: number) => void) {
      if (event === 'exit') child.on('exit', (code, signal) => { listener(code ?? (signal === 'SIGKILL' ? 137 : 143)) })
      else child.on('spawn', () => { listener(0) })
      return this
    }
  }
}
