// Golden outputs of the face-api 1.7.15 networks, computed by face-api itself (tfjs-core 4.22 CPU
// backend), for the synthetic images described below. Writes face-api-golden.json next to this file.
//
//   npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz
//   node src/test/resources/nn/io/make-golden.mjs ./package data/face-api
//
// Input image of size S (square, so face-api neither pads nor resizes): RGB value at row y,
// column x, channel c = ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255   (TestImage.pixel in Java).
import fs from 'node:fs';
import path from 'node:path';

const [pkg, models] = process.argv.slice(2);
if (!pkg || !models) { console.error('usage: node make-golden.mjs PACKAGE_DIR MODEL_DIR'); process.exit(2); }
const saved = globalThis.process;
globalThis.process = undefined; // make the browser/ESM bundle skip its Node platform set-up
const faceapi = await import(path.resolve(pkg, 'dist/face-api.esm.js'));
globalThis.process = saved;
const tf = faceapi.tf;
tf.env().setPlatform('golden', { // the minimum tfjs-core needs here
  fetch: () => { throw new Error('no fetch'); },
  now: () => performance.now(),
  encode: (s) => new TextEncoder().encode(s),
  decode: (b, enc) => new TextDecoder(enc).decode(b),
  isTypedArray: (a) => ArrayBuffer.isView(a) && !(a instanceof DataView),
  setTimeoutCustom: (f, ms) => setTimeout(f, ms),
});
await tf.setBackend('cpu');
await tf.ready();

function weightMap(name) {
  const file = path.join(models, `${name}-weights_manifest.json`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  const map = {};
  for (const group of manifest) {
    const buffers = group.paths.map((p) => fs.readFileSync(path.join(models, p)));
    const all = Buffer.concat(buffers);
    const ab = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    Object.assign(map, tf.io.decodeWeights(ab, group.weights));
  }
  return map;
}

function image(size, width = size) {
  const v = new Float32Array(size * width * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) {
    v[(y * width + x) * 3 + c] = ((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255;
  }
  return tf.tensor3d(v, [size, width, 3], 'float32');
}
const detection = (d) => ({ score: Number(d.score.toPrecision(8)),
  box: round([d.relativeBox.x, d.relativeBox.y, d.relativeBox.width, d.relativeBox.height]) });

const round = (a) => Array.from(a, (x) => Number(x.toPrecision(8)));
const out = { source: '@vladmandic/face-api@1.7.15', tfjs: tf.version_core, backend: tf.getBackend(),
  pixel: '((x * 37 + y * 91 + c * 53) ^ (x * y)) & 255' };

{ // tiny face detector, raw conv8 output at inputSize 128 (grid 4)
  const net = new faceapi.TinyFaceDetector();
  net.loadFromWeightMap(weightMap('tiny_face_detector_model'));
  const y = net.forwardInput(new faceapi.NetInput([image(128)]), 128);
  out.tinyFaceDetector = { imageSize: 128, inputSize: 128, shape: y.shape, values: round(y.dataSync()) };
  // decoding + NMS on a 96 x 128 (h x w) image: padded at the bottom to 128 x 128, no resize
  const found = await net.locateFaces(new faceapi.NetInput([image(96, 128)]), { inputSize: 128, scoreThreshold: 1e-7 });
  out.tinyFaceDetectorDetect = { height: 96, width: 128, inputSize: 128, scoreThreshold: 1e-7,
    detections: found.map(detection) };
}
for (const [key, Net, name] of [['landmarks68', faceapi.FaceLandmark68Net, 'face_landmark_68_model'],
  ['landmarks68Tiny', faceapi.FaceLandmark68TinyNet, 'face_landmark_68_tiny_model']]) {
  const net = new Net();
  net.loadFromWeightMap(weightMap(name));
  const raw = net.runNet(new faceapi.NetInput([image(112)])); // fc output, before postProcess
  out[key] = { imageSize: 112, shape: raw.shape, values: round(raw.dataSync()) };
  // post-processing on a 112 x 80 (h x w) crop: centred padding of 16 columns each side
  const marks = await net.detectLandmarks(new faceapi.NetInput([image(112, 80)]));
  out[key + 'Crop'] = { height: 112, width: 80, relative: round(marks.relativePositions.flatMap((p) => [p.x, p.y])) };
}
{
  const net = new faceapi.FaceRecognitionNet();
  net.loadFromWeightMap(weightMap('face_recognition_model'));
  const d = net.forwardInput(new faceapi.NetInput([image(150)]));
  out.recognition = { imageSize: 150, shape: d.shape, values: round(d.dataSync()) };
}
{ // SSD on a 512 x 384 (h x w) image, padded on the right to 512 x 512: decoded boxes
  // [ymin, xmin, ymax, xmax] and face scores at every 37th anchor, then locateFaces' selection
  const net = new faceapi.SsdMobilenetv1();
  net.loadFromWeightMap(weightMap('ssd_mobilenetv1_model'));
  const input = new faceapi.NetInput([image(512, 384)]);
  const { boxes, scores } = net.forwardInput(input);
  const b = boxes[0].dataSync();
  const s = scores[0].dataSync();
  const anchors = [];
  for (let i = 0; i < s.length; i += 37) anchors.push(i);
  anchors.push(s.length - 1);
  out.ssdMobilenetV1 = { height: 512, width: 384, anchors, scores: round(anchors.map((i) => s[i])),
    boxes: anchors.map((i) => round(b.slice(4 * i, 4 * i + 4))) };
  const found = await net.locateFaces(input, { minConfidence: 0.02, maxResults: 20 });
  out.ssdMobilenetV1Detect = { minConfidence: 0.02, maxResults: 20, detections: found.map(detection) };
}
{ // the whole pipeline on a 150 x 200 (h x w) image: detect (resized to 128), landmarks, descriptors
  class Stub {}
  faceapi.env.setEnv({ Canvas: Stub, CanvasRenderingContext2D: Stub, Image: Stub, ImageData: Stub, Video: Stub,
    createCanvasElement: () => new Stub(), createImageElement: () => new Stub(), createVideoElement: () => new Stub(),
    fetch: () => { throw new Error('no fetch'); }, readFile: () => { throw new Error('no files'); } });
  faceapi.nets.tinyFaceDetector.loadFromWeightMap(weightMap('tiny_face_detector_model'));
  faceapi.nets.faceLandmark68Net.loadFromWeightMap(weightMap('face_landmark_68_model'));
  faceapi.nets.faceRecognitionNet.loadFromWeightMap(weightMap('face_recognition_model'));
  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: 128, scoreThreshold: 0.002 });
  const results = await faceapi.detectAllFaces(image(150, 200), options).withFaceLandmarks().withFaceDescriptors();
  // every detection; landmarks and descriptors of the first 4 only (to keep this file small)
  out.pipeline = { height: 150, width: 200, inputSize: 128, scoreThreshold: 0.002,
    detections: results.map((r) => ({ score: Number(r.detection.score.toPrecision(8)),
      box: round([r.detection.box.x, r.detection.box.y, r.detection.box.width, r.detection.box.height]) })),
    faces: results.slice(0, 4).map((r) => {
      const dlib = r.landmarks.align(null, { useDlibAlignment: true });
      return { landmarks: round(r.landmarks.positions.flatMap((p) => [p.x, p.y])),
        descriptorRect: [dlib.x, dlib.y, dlib.width, dlib.height], descriptor: round(r.descriptor) };
    }) };
}
const target = path.join(path.dirname(new URL(import.meta.url).pathname), 'face-api-golden.json');
fs.writeFileSync(target, JSON.stringify(out) + '\n');
console.log('wrote', target);
