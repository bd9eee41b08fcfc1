/**
 * Endpoint, token, cache folder and offline flag, from the options first and then from the environment variables
 * that huggingface_hub (Python) reads, so that both share one cache and one login.
 * See huggingface_hub/constants.py (HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_ENDPOINT) and utils/_auth.py (token).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export type Env = Record<string, string | undefined>;

export interface SettingsOptions {
  /** Default `$HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** A token, or `false` to send none. Default `$HF_TOKEN`, `$HUGGING_FACE_HUB_TOKEN`, then the token file. */
  token?: string | false;
  /** The hub cache folder. Default `$HF_HUB_CACHE`, `$HF_HOME/hub`, `~/.cache/huggingface/hub`. */
  cacheDir?: string;
  /** Never touch the network. Default `$HF_HUB_OFFLINE` (or `$TRANSFORMERS_OFFLINE`) set to 1/true/yes/on. */
  offline?: boolean;
  /** The environment to read, default `process.env` (tests pass their own). */
  env?: Env;
}

export interface HubSettings {
  endpoint: string;
  token?: string;
  cacheDir: string;
  offline: boolean;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** huggingface_hub's `_is_true`. */
function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 'ON', 'YES', 'TRUE'].includes(v.trim().toUpperCase());
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** `$HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`. */
export function hfHome(env: Env = process.env): string {
  const home = nonEmpty(env.HF_HOME) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(homedir(), '.cache'), 'huggingface');
  return resolve(expandHome(home));
}

/** The hub cache folder Python's transformers fills: `$HF_HUB_CACHE`, else `$HF_HOME/hub`. */
export function hubCacheDir(env: Env = process.env): string {
  const dir = nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome(env), 'hub');
  return resolve(expandHome(dir));
}

/** The token `huggingface-cli login` stored: `$HF_TOKEN_PATH`, else `$HF_HOME/token`. */
async function tokenFromFile(env: Env): Promise<string | undefined> {
  const path = nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome(env), 'token');
  try {
    return nonEmpty(await readFile(expandHome(path), 'utf8'));
  } catch {
    return undefined;
  }
}

export async function hubSettings(options: SettingsOptions = {}): Promise<HubSettings> {
  const env = options.env ?? process.env;
  const endpoint = (nonEmpty(options.endpoint) ?? nonEmpty(env.HF_ENDPOINT) ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const token =
    options.token === false
      ? undefined
      : (nonEmpty(options.token) ??
        nonEmpty(env.HF_TOKEN) ??
        nonEmpty(env.HUGGING_FACE_HUB_TOKEN) ??
        (await tokenFromFile(env)));
  return {
    endpoint,
    token,
    cacheDir: options.cacheDir ? resolve(expandHome(options.cacheDir)) : hubCacheDir(env),
    offline: options.offline ?? (isTrue(env.HF_HUB_OFFLINE) || isTrue(env.TRANSFORMERS_OFFLINE)),
  };
}
