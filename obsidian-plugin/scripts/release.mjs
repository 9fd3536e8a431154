// npm run release: builds the plugin and writes release/vaultsync-VERSION.zip holding the folder
// Obsidian loads (vaultsync/main.js, vaultsync/manifest.json, and styles.css when there is one),
// to unpack into VAULT/<config folder>/plugins/. A plain zip (deflate), written here so that the
// release needs no tool beyond Node.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { crc32, deflateRawSync } from "node:zlib";

const manifest = JSON.parse(readFileSync("manifest.json", "utf8"));
const names = ["main.js", "manifest.json", "styles.css"].filter((n) => existsSync(n));
if (!names.includes("main.js")) {
  process.stderr.write("main.js is missing: run npm run build first (npm run release does)\n");
  process.exit(1);
}

const local = [];
const central = [];
let offset = 0;
// 1980-01-01 00:00 in DOS time: a fixed stamp keeps the zip the same for the same files.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
for (const name of names) {
  const data = readFileSync(name);
  const packed = deflateRawSync(data, { level: 9 });
  const path = Buffer.from(`${manifest.id}/${name}`, "utf8");
  const crc = crc32(data);
  // The fields a local header (from byte 6) and its central directory entry (from byte 8) share.
  const shared = (b, at) => {
    b.writeUInt16LE(0x0800, at); // UTF-8 names
    b.writeUInt16LE(8, at + 2); // deflate
    b.writeUInt16LE(DOS_TIME, at + 4);
    b.writeUInt16LE(DOS_DATE, at + 6);
    b.writeUInt32LE(crc, at + 8);
    b.writeUInt32LE(packed.length, at + 12);
    b.writeUInt32LE(data.length, at + 16);
    b.writeUInt16LE(path.length, at + 20);
  };
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  head.writeUInt16LE(20, 4);
  shared(head, 6);
  local.push(head, path, packed);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE(20, 4);
  entry.writeUInt16LE(20, 6);
  shared(entry, 8);
  entry.writeUInt32LE(offset, 42);
  central.push(entry, path);
  offset += head.length + path.length + packed.length;
}
const dir = Buffer.concat(central);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(names.length, 8);
end.writeUInt16LE(names.length, 10);
end.writeUInt32LE(dir.length, 12);
end.writeUInt32LE(offset, 16);

mkdirSync("release", { recursive: true });
const out = `release/${manifest.id}-${manifest.version}.zip`;
writeFileSync(out, Buffer.concat([...local, dir, end]));
process.stdout.write(`wrote ${out} (${names.join(", ")} under ${manifest.id}/)\n`);
