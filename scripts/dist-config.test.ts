import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// `npm run dist` cannot run here (Electron's binary cannot be downloaded), so its configuration is checked with
// electron-builder's own loader and schema, and package.json against what its deb target refuses to build without.
const root = join(__dirname, '..')
const require = createRequire(import.meta.url)
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string, fromOptions: null): Promise<Record<string, unknown>>
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  homepage?: string
  author?: { name?: string; email?: string }
  scripts: Record<string, string>
}

describe('electron.builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    const config = await getConfig(root, 'electron.builder.yml', null)
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('is checked for real: a wrong key is refused by the same check', async () => {
    const config = await getConfig(root, 'electron.builder.yml', null)
    await expect(validateConfiguration({ ...config, linux: { target: [{ target: 'deb', bogus: 1 }] } }, new DebugLogger(false))).rejects.toThrow(
      /configuration\.linux\.target/
    )
  })

  it('builds AppImage and deb, dmg, nsis', async () => {
    const config = (await getConfig(root, 'electron.builder.yml', null)) as Record<'linux' | 'mac' | 'win', { target: string[] }>
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(config.mac.target).toContain('dmg')
    expect(config.win.target).toContain('nsis')
  })
})

describe('package.json for the packages', () => {
  // app-builder-lib's FpmTarget.computeFpmMetaInfoOptions throws without these ("Please specify project homepage",
  // "Please specify author 'email'": the deb's Maintainer field).
  it('has the homepage and the author with an email that the deb target requires', () => {
    expect(packageJson.homepage).toMatch(/^https:\/\//)
    expect(packageJson.author?.name).toBeTruthy()
    expect(packageJson.author?.email).toMatch(/^[^@\s]+@[^@\s]+$/)
  })

  it('has npm run dist, and npm run package as its alias', () => {
    expect(packageJson.scripts.dist).toContain('electron-builder --config electron.builder.yml')
    expect(packageJson.scripts.package).toBe('npm run dist')
  })
})

/** A PNG's width and height from its IHDR chunk. */
function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file)
  expect(bytes.subarray(1, 4).toString('latin1'), `${file} is not a PNG`).toBe('PNG')
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
}

describe('the app icons', () => {
  it('has a Linux set from 16 to 512 px, each file the size its name says', () => {
    const names = readdirSync(join(root, 'resources', 'icons')).sort((a, b) => parseInt(a) - parseInt(b))
    expect(names).toEqual(['16x16.png', '24x24.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png'])
    for (const name of names) {
      const size = parseInt(name)
      expect(pngSize(join(root, 'resources', 'icons', name))).toEqual([size, size])
    }
  })

  it('has a 512 px icon.png for the mac .icns and the Windows .ico (electron-builder needs at least 512 and 256)', () => {
    expect(pngSize(join(root, 'resources', 'icon.png'))).toEqual([512, 512])
  })
})
