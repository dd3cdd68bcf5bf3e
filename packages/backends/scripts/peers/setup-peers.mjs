// Setup of `pnpm bench:peers`: installs PyTorch + onnx from Debian when missing (root + apt only),
// then exports the peer models (ONNX + shared weights) into .tmp/peers/. onnxruntime-node and
// onnxruntime-web are devDependencies (installed with ONNXRUNTIME_NODE_INSTALL=skip semantics:
// pnpm does not run their install scripts). Never part of the unit tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${packageRoot}.tmp/peers`;

function hasTorch() {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
}

if (!hasTorch()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('[bench:peers] installing python3-torch python3-onnx python3-numpy from Debian (once)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', 'python3-torch', 'python3-onnx', 'python3-numpy'], {
      stdio: 'inherit',
      env,
    });
  } else {
    console.log('[bench:peers] PyTorch is absent and cannot be installed here (needs root + apt): PyTorch and ONNX exports are skipped.');
  }
}

const marker = `${outDir}/encoder.onnx`;
if (hasTorch() && (!existsSync(marker) || process.argv.includes('--force'))) {
  execFileSync(PYTHON, [`${packageRoot}scripts/peers/export_peers.py`, outDir], { stdio: 'inherit' });
}
