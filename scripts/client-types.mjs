// The TypeScript types of the API (openapi-typescript), from an OpenAPI document: shared by
// `npm run api:types` and the test that keeps the committed file fresh.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export async function clientTypes(document) {
  return COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
}
