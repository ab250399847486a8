/**
 * `npm run infra:synth` (from the repository root): synthesizes the stack into infra/cdk.out
 * offline. Context (`npm run infra:synth -- -c key=value`, or infra/cdk.json): stage (dev|prod), tablePrefix,
 * instanceType, minHosts, maxHosts, webConcurrency, nodeVersion, certificateArn, loadTest (1: a rush rig), stackName.
 * No account or region is needed: the template is environment-agnostic.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { MovieMagicStack } from '../lib/stack.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = process.env.CDK_OUTDIR ?? path.resolve(here, '../cdk.out');
// Run directly (not by the cdk CLI): cdk.json's context, then `-c key=value` arguments.
const context: Record<string, string> = JSON.parse(readFileSync(path.resolve(here, '../cdk.json'), 'utf8')).context;
process.argv.forEach((arg, i) => {
  const pair = (arg === '-c' || arg === '--context') && /^([^=]+)=(.*)$/.exec(process.argv[i + 1] ?? '');
  if (pair) context[pair[1]!] = pair[2]!;
});
const app = new App({ outdir, context });
const ctx = (key: string): string | undefined => app.node.tryGetContext(key)?.toString();
const num = (key: string) => (ctx(key) === undefined ? undefined : Number(ctx(key)));
const stage = ctx('stage') === 'prod' ? 'prod' : 'dev';
const tablePrefix = ctx('tablePrefix') ?? 'moviemagic';

new MovieMagicStack(app, ctx('stackName') ?? `MovieMagic-${tablePrefix}`, {
  stage,
  tablePrefix,
  instanceType: ctx('instanceType'),
  minHosts: num('minHosts'),
  maxHosts: num('maxHosts'),
  webConcurrency: num('webConcurrency'),
  nodeVersion: ctx('nodeVersion'),
  certificateArn: ctx('certificateArn'),
  loadTest: ctx('loadTest') === '1' || ctx('loadTest') === 'true',
});
const assembly = app.synth();
if (!process.env.CDK_OUTDIR) console.log(`wrote ${assembly.stacks.map((s) => path.relative(process.cwd(), path.join(outdir, s.templateFile))).join(', ')}`);
