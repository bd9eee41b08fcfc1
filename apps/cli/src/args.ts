// Typed accessors for parsed option values: each names the option, what was expected and what was given.
import { UsageError } from './command.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export function str(values: Values, name: string): string | undefined;
export function str(values: Values, name: string, fallback: string): string;
export function str(values: Values, name: string, fallback?: string): string | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new UsageError(`--${name}: expected a value, got ${JSON.stringify(v)}`);
  return v;
}

export function required(values: Values, name: string): string {
  const v = str(values, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function int(values: Values, name: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
  const v = str(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw new UsageError(`--${name}: expected an integer${range ? ' ' + range : ''}, got '${v}'`);
  }
  return n;
}

export function num(values: Values, name: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
  const v = str(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected a number in [${min}, ${max}], got '${v}'`);
  }
  return n;
}

export function choice<T extends string>(values: Values, name: string, allowed: readonly T[], fallback: T): T {
  const v = str(values, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name}: expected one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

export function list(values: Values, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
