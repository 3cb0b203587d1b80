/** Request bodies above this are refused with 413 (DESIGN: 256 KiB). */
export const BODY_LIMIT_BYTES = 256 * 1024;
