/**
 * Reads the embedded data: base64 text of gzipped bytes, decompressed with the platform's
 * `DecompressionStream` (every current browser, and Node 18+), so nothing needs fs or fetch.
 */
export async function unpack(base64: string): Promise<Uint8Array> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
