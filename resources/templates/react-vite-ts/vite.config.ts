import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Sandlot forwards the workspace's preview to this port, so Vite must not move to another one when it is taken.
export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true }
})
