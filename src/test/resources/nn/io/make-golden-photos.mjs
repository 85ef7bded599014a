// face-api 1.7.15's own detectAllFaces(image, TinyFaceDetectorOptions) on real PNG photos of
// data/photos, boxes in image pixels. Writes face-api-golden-photos.json next to this file.
//
//   npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz && npm install pngjs@7
//   node src/test/resources/nn/io/make-golden-photos.mjs ./package data/face-api data/photos
//
// PNGs are decoded with pngjs (lossless, so Java decodes the same pixels); grey is replicated to
// RGB and alpha dropped, as tf.node.decodeImage(bytes, 3) does.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkg, models, photos] = process.argv.slice(2);
if (!pkg || !models || !photos) { console.error('usage: node make-golden-photos.mjs PACKAGE_DIR MODEL_DIR PHOTOS_DIR'); process.exit(2); }
const { PNG } = createRequire(path.resolve('package.json'))('pngjs');
const saved = globalThis.process;
globalThis.process = undefined; // make the browser/ESM bundle skip its Node platform set-up
const faceapi = await import(path.resolve(pkg, 'dist/face-api.esm.js'));
globalThis.process = saved;
const tf = faceapi.tf;
tf.env().setPlatform('golden', {
  fetch: () => { throw new Error('no fetch'); },
  now: () => performance.now(),
  encode: (s) => new TextEncoder().encode(s),
  decode: (b, enc) => new TextDecoder(enc).decode(b),
  isTypedArray: (a) => ArrayBuffer.isView(a) && !(a instanceof DataView),
  setTimeoutCustom: (f, ms) => setTimeout(f, ms),
});
await tf.setBackend('cpu');
await tf.ready();

const manifestFile = path.join(models, 'tiny_face_detector_model-weights_manifest.json');
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const map = {};
for (const group of manifest) {
  const all = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(models, p))));
  Object.assign(map, tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), group.weights));
}
faceapi.nets.tinyFaceDetector.loadFromWeightMap(map);

function rgb(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const v = new Float32Array(png.width * png.height * 3);
  for (let i = 0; i < png.width * png.height; i++) for (let c = 0; c < 3; c++) v[i * 3 + c] = png.data[i * 4 + c];
  return tf.tensor3d(v, [png.height, png.width, 3], 'float32');
}
const round = (x) => Number(x.toPrecision(8));
const out = { source: '@vladmandic/face-api@1.7.15', tfjs: tf.version_core, backend: tf.getBackend(), cases: [] };
for (const [image, inputSize, scoreThreshold] of [['skimage/astronaut.png', 416, 0.5], ['skimage/astronaut.png', 224, 0.1],
  ['skimage/camera.png', 416, 0.1], ['visp/1280px-Solvay_conference_1927.png', 416, 0.5], ['visp/1280px-Solvay_conference_1927.png', 608, 0.2]]) {
  const t = rgb(path.join(photos, image));
  // detectAllFaces(t, options) without its browser/Node media checks: the same net call on a tensor input
  const found = await faceapi.nets.tinyFaceDetector.locateFaces(new faceapi.NetInput([t]), new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }));
  out.cases.push({ image, width: t.shape[1], height: t.shape[0], inputSize, scoreThreshold,
    detections: found.map((d) => ({ score: round(d.score), box: [d.box.x, d.box.y, d.box.width, d.box.height].map(round) })) });
  t.dispose();
}
fs.writeFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'face-api-golden-photos.json'), JSON.stringify(out) + '\n');
