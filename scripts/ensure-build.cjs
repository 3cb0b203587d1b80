// Builds dist/ when it is missing or older than the sources, so `npm start` works straight
// after `npm install`: the server (dist/src) and the web app (dist/web) each on their own.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) newest = Math.max(newest, newestMtime(join(path, entry.name)));
  return newest;
}

const shared = Math.max(newestMtime(join(root, 'scripts', 'build.cjs')), newestMtime(join(root, 'package-lock.json')));
const halves = {
  server: {
    output: join(root, 'dist', 'src', 'main.js'),
    sources: Math.max(shared, ...['src', 'migrations', 'bench', 'tsconfig.json'].map((p) => newestMtime(join(root, p)))),
  },
  web: {
    output: join(root, 'dist', 'web', 'index.html'),
    sources: Math.max(shared, ...['src', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'].map((p) => newestMtime(join(root, 'web', p)))),
  },
};
const only = process.argv[2]; // 'server' or 'web': check one half only
for (const [half, { output, sources }] of Object.entries(halves)) {
  if (only && half !== only) continue;
  if (existsSync(output) && statSync(output).mtimeMs >= sources) continue;
  console.log(`Building the ${half === 'web' ? 'web app' : 'tracker'} (dist/ is missing or out of date)…`);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.cjs'), half], { cwd: root, stdio: 'inherit' });
}
