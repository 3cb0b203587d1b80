import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev:web`: the app on Vite's dev server, the API of `npm start` (port 3000, or API_PORT) behind its proxy.
const api = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The server's CSP allows no inline code: every script and style is a file.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/docs', '/docs-json', '/health', '/metrics'].map((path) => [path, { target: api }])),
  },
});
