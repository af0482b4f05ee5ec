import { readFileSync } from 'node:fs';

/** Reads a JSON fixture from test/core/mesos/fixtures. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

/** A deep copy of a fixture, for tests that mutate it. */
export function fixtureCopy(name: string): Record<string, any> {
  return fixture(name) as Record<string, any>;
}
