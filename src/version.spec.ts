import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { APP_VERSION } from './version';

describe('APP_VERSION', () => {
  it('is the version in package.json, as the OpenAPI document states it', () => {
    expect(APP_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
