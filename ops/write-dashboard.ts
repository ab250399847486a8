/** npm run ops:dashboard: writes ops/grafana/movie-magic.json from ops/panels.ts (the unit test checks it is current). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dashboard } from './panels.js';

const out = fileURLToPath(new URL('./grafana/movie-magic.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(dashboard(), null, 2)}\n`);
console.log(`wrote ${out}`);
