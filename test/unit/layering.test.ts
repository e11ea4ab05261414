// The tree's layering (.dependency-cruiser.cjs, drawn in docs/ARCHITECTURE.md) holds: dependency-cruiser
// reads every import of p2p/, main/ and renderer/src/, and any that breaks a rule fails this test by name.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { cruise, type IConfiguration } from 'dependency-cruiser'

const root = fileURLToPath(new URL('../..', import.meta.url))
const config: IConfiguration = createRequire(import.meta.url)('../../.dependency-cruiser.cjs')

test('no import breaks the layering rules', async () => {
  const { output } = await cruise(['p2p', 'main', 'renderer/src'], {
    ...config.options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden }
  })
  assert.ok(typeof output !== 'string')
  assert.ok(output.summary.totalCruised > 200, `cruised only ${output.summary.totalCruised} modules: are the sources still found?`)
  const broken = output.summary.violations.map(v =>
    `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle === undefined ? '' : ` (cycle: ${v.cycle.map(c => c.name).join(' -> ')})`}`)
  assert.deepEqual(broken, [], `imports that break the layering:\n${broken.join('\n')}`)
})
