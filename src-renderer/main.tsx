import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { z } from 'zod'
import { installAnsiPalette } from './app/ansi-palette'
import { App } from './app/App'
import { createBridge } from './bridge/create-bridge'
import './styles/theme.css'
import './styles/app.css'
import './styles/workspaces.css'
import './styles/history.css'
import './styles/settings.css'
import './styles/templates.css'

// The CSP forbids eval; without this zod probes `new Function` on its first parse and logs a CSP violation.
z.config({ jitless: true })

// Program output's colours: the logs read them as CSS variables, the terminals from the same module.
installAnsiPalette(document.documentElement)

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App bridge={createBridge()} />
  </StrictMode>
)
