import { afterEach, expect } from '@jest/globals';
import { mismatches } from './openapi-validator';

// Every answer an app under test gave during the test must match the OpenAPI document.
afterEach(() => {
  const found = mismatches.splice(0);
  expect(found).toEqual([]);
});
