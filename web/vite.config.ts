/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API process serves dist/ on its own port, so the dev server proxies /api to it.
const apiTarget = process.env.APPTREMIND_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { proxy: { '/api': apiTarget } },
  preview: { proxy: { '/api': apiTarget } },
  build: {
    target: 'es2022',
    // Every .js/.css gets a .gz twin after the build; a second inline copy would be waste.
    assetsInlineLimit: 0,
    // scripts/compress-dist.mjs reads it to find what the booking page loads.
    manifest: true,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    env: { TZ: 'UTC' },
    // Whole pages rendered in jsdom take seconds on a loaded 2-core machine; the default 5 s
    // failed tests that were only slow.
    testTimeout: 20_000,
  },
});
