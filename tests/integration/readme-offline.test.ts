import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { testBaseImage } from '../support/core-image'
import { removeDataFolderObjects } from '../support/data-folder-cleanup'
import { runSandlot, tempSandlotHome } from '../support/run-cli'

const README = join(import.meta.dirname, '..', '..', 'README.md')
/** The image name the README's offline section uses; the test's own base stands in for it. */
const README_BASE = 'sandlot/base-offline:22-bookworm'

/** The commands of the README's "Offline machines" section, in order, without their comments. */
function offlineCommands(): string[] {
  const readme = readFileSync(README, 'utf8')
  const start = readme.indexOf('### Offline machines')
  expect(start, 'README.md has an "Offline machines" section').toBeGreaterThan(-1)
  const section = readme.slice(start, readme.indexOf('\n## ', start) === -1 ? undefined : readme.indexOf('\n## ', start))
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!)
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

const home = tempSandlotHome()
const env = { SANDLOT_HOME: home }

afterAll(() => removeDataFolderObjects(home))

describe('the README’s offline section, followed literally from an empty data folder', () => {
  it('ends with a live React preview, built from the offline base the section names', async () => {
    const base = testBaseImage()
    const commands = offlineCommands()
    expect(commands.some((c) => c.includes('build-offline-base.sh')), commands.join('\n')).toBe(true)
    const creates = commands.filter((c) => / sandlot create /.test(` ${c} `))
    expect(creates, 'the section ends in a create, so a reader knows the path works').not.toEqual([])
    let remembered = false
    for (const command of commands) {
      if (command.includes('build-offline-base.sh')) continue // testBaseImage() ran the script above (it prints the name).
      const words = command.replace(README_BASE, base).split(/\s+/)
      const at = words.indexOf('sandlot')
      expect(at, `a sandlot command: ${command}`).toBeGreaterThan(-1)
      const run = await runSandlot(words.slice(at + 1), env)
      expect(run.code, `${command}\n${run.stdout}\n${run.stderr}`).toBe(0)
      if (/Remembered .* as image\.base/.test(run.stderr)) remembered = true
    }
    // The base was kept for the create: nothing tried to pull node:22-bookworm-slim.
    expect(remembered || readFileSync(join(home, 'settings.json'), 'utf8').includes(base)).toBe(true)
    expect((await runSandlot(['config', 'get', 'image.base'], env)).stdout.trim()).toBe(base)
    const listed = JSON.parse((await runSandlot(['ls', '--json'], env)).stdout) as Array<{ templateId: string; status: string; previewUrl?: string }>
    const react = listed.find((w) => w.templateId === 'react-vite-ts')
    expect(react).toMatchObject({ status: 'ready', previewUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) })
    const page = await fetch(react!.previewUrl!)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
  })
})
