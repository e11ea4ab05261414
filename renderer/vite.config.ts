// Builds the UI that the core serves at `/` (headless) and the Electron window loads from the
// local API. Output goes to dist/renderer; every asset lands under /assets/ with a relative base,
// so the page has no inline script or style and passes the server's strict CSP.
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Never inline assets as data: URLs; keep every file under /assets/ (CSP-friendly, cacheable).
    assetsInlineLimit: 0,
    // The modulepreload polyfill is not needed by Chromium/Electron.
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'chrome120'
  }
})
