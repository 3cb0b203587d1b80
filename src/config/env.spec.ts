import { describe, expect, it } from '@jest/globals';
import { validateEnv } from './env';

describe('environment', () => {
  it('has defaults for a new user', () => {
    expect({ ...validateEnv({}) }).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      PUBLIC_READS: true,
      DEMO: true,
      CHECKPOINT_EVERY: 1000,
      READ_CACHE_SECONDS: 5,
      GROUP_COMMIT_MAX_BATCH: 64,
      GROUP_COMMIT_WAIT_MS: 0,
      SUGGEST_DISTANCE_KM: 15,
      ROLE: 'all',
      REPLICA_WAIT_MS: 1000,
      REPLICA_MAX_LAG_SECONDS: 10,
      NATS_STREAM: 'CEASEFIRE_EVENTS',
      NATS_SUBJECT_PREFIX: 'ceasefire',
      EMBED_ORIGINS: '',
    });
  });

  it('reads typed values', () => {
    const env = validateEnv({
      DATABASE_URL: 'postgresql://app@db:5432/ceasefire',
      PORT: '8080',
      PUBLIC_READS: 'false',
      DEMO: '0',
      ADMIN_TOKEN: 'a'.repeat(32),
    });
    expect(env).toMatchObject({ DATABASE_URL: 'postgresql://app@db:5432/ceasefire', PORT: 8080, PUBLIC_READS: false, DEMO: false });
  });

  it('reads a role, read replicas and NATS', () => {
    expect(() => validateEnv({ ROLE: 'api' })).toThrow(/\bROLE\b.*DATABASE_URL/);
    const env = validateEnv({ ROLE: 'worker', DATABASE_URL: 'postgresql://primary/x', DATABASE_READ_URL: 'postgresql://r1/x, postgres://r2/x', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(env).toMatchObject({ ROLE: 'worker', DATABASE_READ_URL: 'postgresql://r1/x, postgres://r2/x', NATS_URL: 'nats://127.0.0.1:4222' });
  });

  it('reads a map tile source and its attribution (unset by default: no tile server)', () => {
    const env = validateEnv({ TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', TILE_ATTRIBUTION: '© OpenStreetMap contributors' });
    expect(env).toMatchObject({ TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', TILE_ATTRIBUTION: '© OpenStreetMap contributors' });
    expect(validateEnv({ TILE_URL: 'https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png?key=1' }).TILE_URL).toBe('https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png?key=1');
  });

  it('treats an empty value as unset', () => {
    const env = validateEnv({ DATABASE_URL: '', PORT: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_READS', 'maybe'],
    ['DEMO', 'perhaps'],
    ['CHECKPOINT_EVERY', '-5'],
    ['SUGGEST_DISTANCE_KM', '0'],
    ['ADMIN_TOKEN', 'short'],
    ['ROLE', 'reader'],
    ['DATABASE_READ_URL', 'postgresql://a/x,mysql://b/y'],
    ['NATS_URL', 'http://127.0.0.1:4222'],
    ['NATS_STREAM', 'has.dots'],
    ['TILE_URL', 'tile.openstreetmap.org/{z}/{x}/{y}.png'],
    ['TILE_URL', 'https://tile.openstreetmap.org/tiles.png'],
    ['TILE_URL', "https://tiles.example.org/{z}/{x}/{y}.png'; script-src *"],
  ])('stops on a bad %s, naming it', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });
});
