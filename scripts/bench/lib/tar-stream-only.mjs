// The image bench's second reference: a layer blob on stdin through Node's gunzip (the decoder options the
// layer walk uses) and tar-stream, with an entry handler that only drains each entry. What posture costs
// above this is its own work; what this costs above `gzip -dc` is Node, its gunzip and the tar library.
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';

const untar = extract();
let entries = 0;
untar.on('entry', (_header, body, next) => {
  entries++;
  body.on('end', next);
  body.resume();
});
await pipeline(process.stdin, createGunzip({ chunkSize: 256 * 1024, readableHighWaterMark: 2 * 1024 * 1024 }), untar);
if (process.env.TAR_STREAM_ONLY_COUNT) process.stderr.write(`${entries} entries\n`);
