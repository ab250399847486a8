/**
 * The API described: `/api/openapi.json` (HTTP, OpenAPI 3.1), `/api/asyncapi.json`
 * (Socket.IO, AsyncAPI 3.0) and `/api/docs`, a page of our own that lists both. The page
 * and its script and style are our files on our origin, so the strict CSP holds.
 */
import { readFileSync } from 'node:fs';
import type { Router } from 'express';
import { apiError } from '../../protocol/index.js';
import { buildAsyncApi } from './asyncapi.js';
import { sendError } from './http-edge.js';
import { buildOpenApi } from './openapi.js';

const DOCS_DIR = new URL('./api-docs/', import.meta.url);
const ASSETS: Record<string, string> = { 'docs.js': 'text/javascript; charset=utf-8', 'docs.css': 'text/css; charset=utf-8' };

export function apiDocsRoutes(app: Router, deps: { publicUrl: string }) {
  const openapi = JSON.stringify(buildOpenApi({ serverUrl: deps.publicUrl }));
  const asyncapi = JSON.stringify(buildAsyncApi({ host: new URL(deps.publicUrl).host }));
  const page = readFileSync(new URL('index.html', DOCS_DIR), 'utf8');
  const assets = new Map(Object.keys(ASSETS).map((f) => [f, readFileSync(new URL(f, DOCS_DIR), 'utf8')]));

  app.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').set('cache-control', 'no-cache').send(openapi);
  });
  app.get('/api/asyncapi.json', (_req, res) => {
    res.type('application/json').set('cache-control', 'no-cache').send(asyncapi);
  });
  app.get('/api/docs', (_req, res) => {
    res.type('html').set('cache-control', 'no-cache').send(page);
  });
  app.get('/api/docs/:file', (req, res) => {
    const body = assets.get(req.params.file);
    if (body === undefined) return sendError(res, apiError('NOT_FOUND'));
    res.type(ASSETS[req.params.file]!).set('cache-control', 'no-cache').send(body);
  });
}
