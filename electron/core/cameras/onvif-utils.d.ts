declare module 'onvif/lib/utils.js' {
  /** The library's SOAP reply parser: calls back (error, body, xml, status) as its own transport would. */
  export function parseSOAPString(xml: string, callback: (...args: unknown[]) => void, statusCode: number): void;
  export function getDigestHeaders(rawHeaders: string[]): string[];
}
