// npm run api:types — writes web/src/api/schema.d.ts from the document the app serves at /docs-json.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientTypes } from './client-types.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const document = JSON.parse(execFileSync(process.execPath, [join(root, 'dist', 'src', 'cli.js'), 'openapi'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).toString());
const out = join(root, 'web', 'src', 'api', 'schema.d.ts');
writeFileSync(out, await clientTypes(document));
console.log(`Wrote ${out.slice(root.length + 1)} (OpenAPI ${document.openapi}, ${Object.keys(document.paths).length} paths)`);
