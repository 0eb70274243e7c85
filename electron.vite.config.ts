import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }
const define = { __SANDLOT_VERSION__: JSON.stringify(version) }

// One build for the three Electron parts; the CLI is a second main entry so the packaged app can run it
// with ELECTRON_RUN_AS_NODE=1, and a checkout runs the very same file through bin/sandlot.js.
export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      lib: { entry: { index: resolve('src-main/index.ts'), cli: resolve('src-main/cli/index.ts'), sdk: resolve('src-main/sdk/index.ts') } }
    }
  },
  preload: {
    define,
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot be an ES module and can require only `electron`: CommonJS (index.cjs), with
      // every other import bundled in (electron-vite's preload preset inlines dependencies).
      lib: { entry: resolve('src-preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' }
    }
  },
  renderer: {
    root: 'src-renderer',
    define,
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('src-renderer/index.html') }
    }
  }
})
