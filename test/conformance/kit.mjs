#!/usr/bin/env node
// Runs the shared Argo conformance kit (../shared/conformance) against this build.
//   node test/conformance/kit.mjs            cases whose timeout is at most 300 s (npm test)
//   node test/conformance/kit.mjs --long     only the longer ones (forever.yaml counts to 1000; CI runs these)
// Selection is by a case's declared duration, never by its file: `npm test` stays under its
// ten-minute budget and CI still runs every case. Other arguments go to run.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KIT = process.env.WEFT_CONFORMANCE_DIR ?? resolve(ROOT, '..', 'shared', 'conformance');
const LONG_S = 300;

if (!existsSync(join(KIT, 'run.mjs'))) {
  process.stderr.write(`conformance kit not found at ${KIT} (set WEFT_CONFORMANCE_DIR)\n`);
  process.exit(2);
}
const args = process.argv.slice(2);
const long = args.includes('--long');
const rest = args.filter((a) => a !== '--long');
const cases = JSON.parse(readFileSync(join(KIT, 'cases.json'), 'utf8'));
const selected = cases.filter((c) => ((c.timeout ?? 60) > LONG_S) === long);
const file = join(mkdtempSync(join(tmpdir(), 'weft-kit-')), 'cases.json');
writeFileSync(file, JSON.stringify(selected));
const tiers = long ? 'local,http' : 'local,http,not-a-workflow';
const r = spawnSync(process.execPath, [
  join(KIT, 'run.mjs'), '--cases', file, '--base', KIT, '--tier', tiers, '--jobs', '4', '--strict',
  '--weft', `${process.execPath} ${join(ROOT, 'dist', 'cli', 'main.js')}`, ...rest,
], { stdio: 'inherit', cwd: ROOT });
process.exit(r.status ?? 1);
