#!/usr/bin/env node
// One-step setup used by `npm start` and `npm test` on a fresh machine with only Node and npm:
// installs the workspace with the pinned pnpm (fetched by npx when not yet installed).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const localPnpm = join(root, 'node_modules', '.bin', 'pnpm');
const pnpm = existsSync(localPnpm) ? `"${localPnpm}"` : `npx -y ${packageManager}`;
const frozen = process.env.CI ? '--frozen-lockfile' : '';
execSync(`${pnpm} install ${frozen} --reporter=append-only`, { cwd: root, stdio: 'inherit' });
