// Runs the snv2c command line as users do (`node bin/snv2c.mjs ...` in a child process) for the CLI tests.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function snv2cWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/snv2c.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like snv2cWithEnv, without blocking this process (for tests that serve something the CLI fetches). */
export function snv2cAsync(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/snv2c.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function snv2c(...args: string[]): CliResult {
  return snv2cWithEnv({}, ...args);
}

/** Exit code 1, nothing on stdout, and a single "snv2c: ..." line on stderr; returns that line. */
export function oneLineFailure(r: CliResult): string {
  expect(r.code, r.stderr).to.equal(1);
  expect(r.stdout).to.equal('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^snv2c: /);
  return lines[0];
}
