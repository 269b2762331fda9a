import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

export default defineConfig({
  // ESM (package.json "type": "module"); dependencies stay in node_modules (externalizeDeps defaults to true).
  main: {
    build: { rollupOptions: { input: { index: resolve('src/main/index.ts') } } },
  },
  // A sandboxed preload cannot load ESM nor require() anything but electron: one self-contained CommonJS file,
  // zod (used by the contract) bundled in. See https://electron-vite.org/guide/dev#limitations-of-sandboxing
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [react()],
  },
})
