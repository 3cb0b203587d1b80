// The production build: the TypeScript sources compiled into dist/, and the files the server
// serves as they are (the dashboard page) copied beside them.
const { cpSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
cpSync(join(root, 'src', 'dashboard', 'page'), join(root, 'dist', 'src', 'dashboard', 'page'), { recursive: true });
