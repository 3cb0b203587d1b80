// The production build: the TypeScript sources compiled into dist/, and the web app (web/)
// built by Vite into dist/web, which the server serves.
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');
const only = process.argv[2]; // 'server' or 'web': one half only
if (!only) rmSync(join(root, 'dist'), { recursive: true, force: true });
if (only !== 'web') {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
}
if (only !== 'server') {
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: join(root, 'web'), stdio: 'inherit' });
}
