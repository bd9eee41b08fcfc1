// `bert serve --web <dir>`: the built demo under /app/ and each model's HF files under /v1/models/:name/files/,
// so the browser demo can load a model from the server that serves it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { fixtureModels, modelsMissing } from './fixture-models.js';
import { get } from './http.js';

describe.skipIf(modelsMissing)('model files and the web app', () => {
  let f: ReturnType<typeof fixtureModels>;
  let server: BertServer;
  let url: string;
  let web: string;

  beforeAll(async () => {
    f = fixtureModels(['mlm']);
    web = mkdtempSync(join(tmpdir(), 'bert-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>demo</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1);');
    writeFileSync(join(tmpdir(), 'bert-web-secret.txt'), 'TOP-SECRET-CONTENT');
    server = await createServer({ backend: 'cpu', models: [{ name: 'mlm', dir: f.dirs.mlm }], webDir: web });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server.close();
    f.cleanup();
    rmSync(web, { recursive: true, force: true });
  });

  it('serves config.json, vocab.txt and the safetensors bytes of a model, byte for byte', async () => {
    const cfg = await get(`${url}/v1/models/mlm/files/config.json`);
    expect(cfg.status).toBe(200);
    expect(cfg.body).toEqual(JSON.parse(readFileSync(join(f.dirs.mlm, 'config.json'), 'utf8')));
    const vocab = await fetch(`${url}/v1/models/mlm/files/vocab.txt`);
    expect(await vocab.text()).toBe(readFileSync(join(f.dirs.mlm, 'vocab.txt'), 'utf8'));
    const st = await fetch(`${url}/v1/models/mlm/files/model.safetensors`);
    expect(st.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await st.arrayBuffer()).equals(readFileSync(join(f.dirs.mlm, 'model.safetensors')))).toBe(true);
  });

  it('refuses other files and unknown models with the error shape', async () => {
    const other = await get<{ error: { code: string; field: string } }>(`${url}/v1/models/mlm/files/..%2F..%2Fetc%2Fpasswd`);
    expect(other.status).toBe(404);
    expect(other.body.error).toMatchObject({ code: 'file_not_found', field: 'file' });
    const missing = await get<{ error: { code: string } }>(`${url}/v1/models/mlm/files/pytorch_model.bin`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('file_not_found');
    const unknown = await get<{ error: { code: string; message: string } }>(`${url}/v1/models/nope/files/config.json`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/expected one of mlm, got "nope"/);
  });

  it('serves the web app under /app/ (index at /, assets with their type) and nothing outside its folder', async () => {
    const index = await fetch(`${url}/`);
    expect(index.url).toBe(`${url}/app/`);
    expect(await index.text()).toMatch(/<title>demo<\/title>/);
    const js = await fetch(`${url}/app/assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    for (const p of ['/app/../bert-web-secret.txt', '/app/%2e%2e/bert-web-secret.txt', '/app/..%2fbert-web-secret.txt']) {
      const r = await fetch(`${url}${p}`);
      expect(r.status).toBe(404);
      expect(await r.text()).not.toMatch(/TOP-SECRET-CONTENT/);
    }
  });

  it('a web folder without index.html is a configuration error naming it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bert-web-empty-'));
    await expect(createServer({ backend: 'cpu', models: [{ name: 'mlm', dir: f.dirs.mlm }], webDir: empty })).rejects.toThrow(/webDir: expected a built web app folder with index\.html/);
    rmSync(empty, { recursive: true, force: true });
  });
});
