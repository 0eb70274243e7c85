import type { ReactNode } from 'react'
import { webHref } from '../../src-main/electron/web-contents-policy'
import { PageHeader } from '../components/PageHeader'
import { ShortcutList } from './terminals/ShortcutList'

/** Pages of the app worth a bookmark, as links that open them here. */
const PAGES: Array<{ path: string; text: ReactNode }> = [
  { path: 'terminals', text: 'every terminal, in a grid' },
  { path: 'terminals/@host', text: 'the shells on this computer' },
  { path: 'workspaces', text: 'the workspaces' },
  { path: 'errors', text: 'the errors of every workspace' },
  { path: 'settings', text: 'the settings' }
]

/** Help: the keyboard shortcuts, where the pages are, and what Sandlot leans on elsewhere. */
export function HelpView() {
  return (
    <div className="page">
      <PageHeader title="Help" lead="Keyboard shortcuts work anywhere on the Terminals pages, also while a terminal has the keyboard." />
      <section className="card help" aria-labelledby="help-terminals">
        <h2 className="card__title" id="help-terminals">
          Terminals
        </h2>
        <ShortcutList />
      </section>
      <section className="card help" aria-labelledby="help-links">
        <h2 className="card__title" id="help-links">
          Links
        </h2>
        <ul className="help__links" data-testid="help-pages">
          {PAGES.map((page) => (
            <li key={page.path}>
              <a className="link" href={`#/${page.path}`}>
                <code>#/{page.path}</code>
              </a>{' '}
              {page.text}
            </li>
          ))}
          <li>
            <code>#/terminals/&lt;workspace&gt;</code> one workspace’s terminal tabs
          </li>
        </ul>
      </section>
      <section className="card help" aria-labelledby="help-elsewhere">
        <h2 className="card__title" id="help-elsewhere">
          Elsewhere
        </h2>
        <ul className="help__links" data-testid="help-external">
          <li>
            <ExternalLink href="https://docs.docker.com/engine/install/">Install Docker Engine</ExternalLink> (or Docker Desktop): the engine Sandlot runs workspaces on
          </li>
          <li>
            <ExternalLink href="https://code.visualstudio.com/docs/devcontainers/attach-container">Attach VS Code to a container</ExternalLink>: what “Open in editor” does, with the Dev Containers extension
          </li>
        </ul>
      </section>
    </div>
  )
}

/**
 * A web address, opened outside the app: a new browser tab, or in the desktop app the system browser (its
 * window-open handler checks the address again, web-contents-policy.ts). Anything but http(s) is not a link.
 */
function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  const checked = webHref(href)
  if (checked === undefined) return <span>{children}</span>
  return (
    <a className="link" href={checked} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  )
}
