import { startDesktopApp } from './electron/desktop-app'

// The Electron main entry (package.json "main" is its bundle, out/main/index.js).
startDesktopApp()
