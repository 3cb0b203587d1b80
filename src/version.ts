/** The tracker's version, as in package.json (a test keeps the two equal). */
export const APP_VERSION = '0.1.0';
