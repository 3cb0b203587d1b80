/** The TypeScript types of the API (openapi-typescript) for an OpenAPI document. */
export function clientTypes(document: object): Promise<string>;
