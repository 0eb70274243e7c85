import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSandlotCore, type SandlotCore } from '../../core/sandlot-core'

/**
 * A real core in a fresh data folder, pointed at an engine socket that does not exist: unit tests need no
 * Docker, and the engine's state is known (unreachable).
 */
export function openTempCore(): { core: SandlotCore; home: string; dispose(): void } {
  const home = mkdtempSync(join(tmpdir(), 'sandlot-unit-'))
  const core = openSandlotCore({ home, env: { DOCKER_HOST: `unix://${join(home, 'no-engine.sock')}` } })
  return {
    core,
    home,
    dispose() {
      core.close()
      rmSync(home, { recursive: true, force: true })
    }
  }
}

/** A stand-in for the built web app: index.html and one asset. */
export function makeRendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-renderer-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Sandlot</title>')
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)')
  return dir
}
