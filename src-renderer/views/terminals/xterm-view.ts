import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { WebglAddon } from '@xterm/addon-webgl'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import type { TerminalInfo } from '../../../src-main/core/contract'
import { safeForTerminal } from '../../../src-main/core/text/terminal-text'
import type { Bridge } from '../../bridge/bridge'
import type { TerminalStream } from '../../bridge/terminal-streams'
import { mac, matchShortcut } from './shortcuts'
import type { LinkState } from './terminal-model'
import { openWebLink } from './web-link'
import { findDecorations, terminalTheme, watchColorScheme } from './xterm-theme'
import { MINIMUM_CONTRAST } from '../../app/ansi-palette'
import { releaseWebgl, reserveWebgl } from './webgl-budget'

export interface XtermViewOptions {
  bridge: Bridge
  terminal: TerminalInfo
  element: HTMLElement
  fontSize: number
  /** Lines kept above the screen (`terminal.scrollback`); the core's mirror keeps (and replays) as many. */
  scrollback: number
  onLink(state: LinkState): void
  onFindResults(results: { index: number; count: number }): void
}

/** Layout changes come in bursts (a window drag, the grid reflowing): the shell is told the final size. */
const RESIZE_DELAY_MS = 80


/**
 * One xterm.js terminal showing one core terminal: attached through the bridge (screen replayed on every
 * attach), output acknowledged as xterm renders it, sized to its element, themed like the app, with links,
 * Unicode 11 widths, search, clipboard, and WebGL while a context is to be had.
 */
export class XtermView {
  readonly term: Terminal
  readonly #options: XtermViewOptions
  readonly #fit = new FitAddon()
  readonly #search = new SearchAddon({ highlightLimit: 1_000 })
  readonly #stream: TerminalStream
  readonly #disposers: Array<() => void> = []
  #webgl: WebglAddon | undefined
  #resizeTimer: ReturnType<typeof setTimeout> | undefined
  /** The size the core last heard from this view. */
  #sentSize = ''
  #attached = false
  #disposed = false

  constructor(options: XtermViewOptions) {
    this.#options = options
    const { terminal, element, fontSize, scrollback } = options
    this.term = new Terminal({
      allowProposedApi: true,
      cols: terminal.cols,
      rows: terminal.rows,
      fontSize,
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace',
      scrollback,
      theme: terminalTheme(),
      minimumContrastRatio: MINIMUM_CONTRAST,
      cursorBlink: true,
      macOptionIsMeta: true,
      rightClickSelectsWord: false
    })
    this.term.loadAddon(this.#fit)
    this.term.loadAddon(this.#search)
    this.term.loadAddon(new Unicode11Addon())
    this.term.unicode.activeVersion = '11'
    this.term.loadAddon(new WebLinksAddon((event, uri) => openWebLink(event, uri)))
    this.term.open(element)
    this.#useWebgl()
    this.term.attachCustomKeyEventHandler((event) => this.#key(event))

    const input = this.term.onData((data) => this.#stream.write(data))
    const binary = this.term.onBinary((data) => this.#stream.write(data))
    const selection = this.term.onSelectionChange(() => {
      if (this.term.hasSelection()) void this.copy()
    })
    const results = this.#search.onDidChangeResults(({ resultIndex, resultCount }) => options.onFindResults({ index: resultIndex, count: resultCount }))
    this.#disposers.push(
      () => input.dispose(),
      () => binary.dispose(),
      () => selection.dispose(),
      () => results.dispose(),
      watchColorScheme(() => {
        this.term.options.theme = terminalTheme()
      })
    )

    options.onLink('attaching')
    this.#stream = options.bridge.attachTerminal(terminal.id, {
      attached: (info) => {
        // The core sends the whole screen next: start from a blank one of the size it was drawn at.
        this.term.reset()
        if (info.cols !== this.term.cols || info.rows !== this.term.rows) this.term.resize(info.cols, info.rows)
        this.#attached = true
        this.#sentSize = `${info.cols}x${info.rows}`
        options.onLink('live')
        this.fit()
      },
      data: (text, processed) => this.term.write(text, processed),
      detached: () => {
        this.#attached = false
        options.onLink('lost')
      },
      ended: ({ error }) => {
        this.#attached = false
        // The message may quote container output: only the session's own stream may drive the terminal.
        if (error !== undefined) this.term.write(`\r\n\x1b[2m[${safeForTerminal(error.message)}]\x1b[0m\r\n`)
        options.onLink('ended')
      }
    })
  }

  /** Fits the terminal to its element and tells the core the new size (once the layout settles). */
  fit(): void {
    if (this.#disposed) return
    const size = this.#fit.proposeDimensions()
    // A hidden element (another tab, a collapsed cell) has no size: it keeps the one it had.
    if (size === undefined || !Number.isFinite(size.cols) || !Number.isFinite(size.rows) || size.cols < 2 || size.rows < 1) return
    if (size.cols !== this.term.cols || size.rows !== this.term.rows) this.term.resize(size.cols, size.rows)
    clearTimeout(this.#resizeTimer)
    this.#resizeTimer = setTimeout(() => this.#sendSize(), RESIZE_DELAY_MS)
  }

  /** A changed setting applies at once: xterm trims or grows its buffer in place, the screen stays. */
  setScrollback(lines: number): void {
    if (!this.#disposed && this.term.options.scrollback !== lines) this.term.options.scrollback = lines
  }

  find(text: string, direction: 'next' | 'previous', incremental = false): void {
    if (text === '') {
      this.clearFind()
      return
    }
    const options: ISearchOptions = { decorations: findDecorations(), incremental }
    if (direction === 'next') this.#search.findNext(text, options)
    else this.#search.findPrevious(text, options)
  }

  clearFind(): void {
    this.#search.clearDecorations()
    this.#options.onFindResults({ index: -1, count: 0 })
  }

  async copy(): Promise<void> {
    const text = this.term.getSelection()
    if (text === '') return
    try {
      await navigator.clipboard.writeText(text)
    } catch (err) {
      // Without the clipboard API (no permission, no focus), the browser's copy command: xterm fills it in.
      if (!document.execCommand('copy')) console.warn('sandlot: could not copy the selection', err)
    }
  }

  /** Pastes the clipboard; xterm wraps it in bracketed-paste marks when the program asked for them. */
  async paste(): Promise<boolean> {
    try {
      this.pasteText(await navigator.clipboard.readText())
      return true
    } catch (err) {
      console.warn('sandlot: could not read the clipboard', err)
      return false
    }
  }

  pasteText(text: string): void {
    if (text !== '') this.term.paste(text)
  }

  /** A full-screen program (vim, less, htop) is showing: Esc belongs to it. */
  inFullScreenProgram(): boolean {
    return this.term.buffer.active.type === 'alternate'
  }

  focus(): void {
    this.term.focus()
  }

  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    clearTimeout(this.#resizeTimer)
    this.#stream.close()
    for (const dispose of this.#disposers.splice(0)) dispose()
    this.#dropWebgl()
    this.term.dispose()
  }

  #sendSize(): void {
    const { cols, rows } = this.term
    const size = `${cols}x${rows}`
    if (!this.#attached || this.#disposed || size === this.#sentSize) return
    this.#sentSize = size
    this.#options.bridge.call('terminals.resize', { id: this.#options.terminal.id, cols, rows }).catch((err: unknown) => {
      this.#sentSize = ''
      console.warn('sandlot: resize failed', err)
    })
  }

  #key(event: KeyboardEvent): boolean {
    // Ctrl+C with a selection copies (as Windows Terminal and VS Code do); without one it stays an interrupt.
    if (!mac && event.type === 'keydown' && event.ctrlKey && !event.shiftKey && !event.altKey && event.code === 'KeyC' && this.term.hasSelection()) {
      void this.copy()
      this.term.clearSelection()
      event.preventDefault()
      return false
    }
    const shortcut = matchShortcut(event, mac)
    if (shortcut === undefined) return true
    if (shortcut === 'copy') {
      void this.copy()
      event.preventDefault()
    }
    // Paste: the browser's own paste event follows and xterm takes it. The page's shortcuts go on to the
    // page's key listener, not to the shell.
    return false
  }

  #useWebgl(): void {
    this.#options.element.dataset.renderer = 'dom'
    if (!reserveWebgl()) return
    try {
      const webgl = new WebglAddon()
      // A lost context (GPU reset, too many contexts) falls back to the DOM renderer for good.
      webgl.onContextLoss(() => this.#dropWebgl())
      this.term.loadAddon(webgl)
      this.#webgl = webgl
      this.#options.element.dataset.renderer = 'webgl'
    } catch {
      releaseWebgl()
    }
  }

  #dropWebgl(): void {
    if (this.#webgl === undefined) return
    this.#webgl.dispose()
    this.#webgl = undefined
    this.#options.element.dataset.renderer = 'dom'
    releaseWebgl()
  }
}
