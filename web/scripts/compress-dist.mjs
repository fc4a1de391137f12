// After `vite build`: writes a .gz twin of every text asset (the API sends those to browsers
// that take gzip) and reports the compressed JavaScript the booking page loads on first visit.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const assets = join(dist, 'assets');
const COMPRESSIBLE = /\.(js|css|svg|html)$/;

const gzipSizes = new Map();
for (const name of readdirSync(assets)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const gzipped = gzipSync(readFileSync(join(assets, name)), { level: 9 });
  writeFileSync(join(assets, `${name}.gz`), gzipped);
  gzipSizes.set(name, gzipped.length);
}

// Vite's manifest names each chunk's static imports: follow them from the entry and from
// the booking route's own chunk (dynamic imports load later, only when needed).
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
const bookingKey = Object.keys(manifest).find((key) => key.endsWith('app/routes/booking.ts'));
if (!entryKey || !bookingKey) throw new Error('manifest lacks the entry or the booking route chunk');

const loaded = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || loaded.has(chunk.file)) return;
  loaded.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit(entryKey);
visit(bookingKey);

const sizeOf = (file) => gzipSizes.get(relative('assets', file)) ?? 0;
const files = [...loaded].filter((file) => file.endsWith('.js')).sort((a, b) => sizeOf(b) - sizeOf(a));
const total = files.reduce((sum, file) => sum + sizeOf(file), 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

console.log(`\nGzipped ${gzipSizes.size} assets. JavaScript of the booking page's first load:`);
for (const file of files) console.log(`  ${kb(sizeOf(file)).padStart(9)}  ${file}`);
console.log(`  ${kb(total).padStart(9)}  total (budget ${kb(BUDGET_BYTES)})`);
if (total > BUDGET_BYTES) {
  console.error('The booking page is over its JavaScript budget.');
  process.exit(1);
}
