import crypto from 'node:crypto';

/**
 * A CA or client certificate must parse as X.509, a key as a private key: refused at the setting,
 * not discovered as a TLS failure at the next connection attempt. Returns the problem, or null.
 */
export function checkPem(field: 'ca' | 'cert' | 'key', pem: string): string | null {
  if (!pem) return null;
  try {
    if (field === 'key') crypto.createPrivateKey(pem);
    else {
      const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
      if (!blocks) return 'no certificate in it';
      for (const block of blocks) new crypto.X509Certificate(block);
    }
    return null;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).slice(0, 200);
  }
}
