/** A minimal in-memory ustar writer: regular files only, enough for container uploads. */

export interface TarFile {
  /** Path inside the archive (a leading "/" is kept, as the docker provider does). */
  name: string;
  content: Buffer;
  mode: number;
  uid?: number;
  gid?: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** Splits a long path into ustar's prefix (155) and name (100) fields. */
function splitName(path: string): [prefix: string, name: string] {
  if (Buffer.byteLength(path) <= 100) return ["", path];
  for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
    const [prefix, name] = [path.slice(0, i), path.slice(i + 1)];
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new Error(`tar: path too long: ${path}`);
}

function header(f: TarFile): Buffer {
  const h = Buffer.alloc(512);
  const [prefix, name] = splitName(f.name);
  h.write(name, 0, 100);
  h.write(octal(f.mode & 0o7777, 8), 100);
  h.write(octal(f.uid ?? 0, 8), 108);
  h.write(octal(f.gid ?? 0, 8), 116);
  h.write(octal(f.content.length, 12), 124);
  h.write(octal(Math.floor(Date.now() / 1000), 12), 136);
  h.write("        ", 148); // checksum placeholder: 8 spaces
  h.write("0", 156); // regular file
  h.write("ustar\0" + "00", 257);
  h.write(prefix, 345, 155);
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

export function tar(files: readonly TarFile[]): Buffer {
  const blocks: Buffer[] = [];
  for (const f of files) {
    blocks.push(header(f), f.content, Buffer.alloc((512 - (f.content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024)); // end of archive
  return Buffer.concat(blocks);
}
