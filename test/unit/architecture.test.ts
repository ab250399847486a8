/** The layering the house style asks for, checked on the imports themselves. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = (dir: string, ext = /\.ts$/): string[] =>
  readdirSync(join(root, dir)).flatMap((n) => {
    const p = join(dir, n);
    return statSync(join(root, p)).isDirectory() ? files(p, ext) : ext.test(p) ? [p] : [];
  });
/** Every relative import of a file, as a path from the repository root. */
const importsOf = (file: string) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map((m) =>
    relative(root, resolve(root, dirname(file), m[1]!)).replace(/\.js$/, '.ts'),
  );
const offending = (dir: string, banned: (target: string) => boolean, ext?: RegExp) =>
  files(dir, ext).flatMap((f) => importsOf(f).filter(banned).map((t) => `${f} -> ${t}`));

describe('layers', () => {
  it('the domain imports nothing but the domain and the protocol (no ports, services, adapters or transports)', () => {
    expect(offending('server/domain', (t) => !t.startsWith('server/domain/') && !t.startsWith('protocol/'))).toEqual([]);
  });
  it('transports never import adapters', () => {
    expect(offending('server/transport', (t) => t.startsWith('server/adapters/'))).toEqual([]);
  });
  it('rooms and services never import adapters or transports', () => {
    const banned = (t: string) => t.startsWith('server/adapters/') || t.startsWith('server/transport/');
    expect([...offending('server/rooms', banned), ...offending('server/services', banned)]).toEqual([]);
  });
  it('the client takes from the server only pure shared rules in server/domain (seat-pick, layout, ...), never services, adapters or transports', () => {
    const banned = (t: string) => t.startsWith('server/') && !t.startsWith('server/domain/');
    expect(offending('client/src', banned, /\.(ts|svelte)$/)).toEqual([]);
  });
  it('the protocol imports nothing of the server or the client', () => {
    expect(offending('protocol', (t) => !t.startsWith('protocol/'))).toEqual([]);
  });
});
