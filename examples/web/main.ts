// The page: pick or drop a picture, see the top-5 classes and how long the model took.

import { Classifier, chooseBackend, type Classification } from './classifier.ts';
import { decodeImage } from './decode-image.ts';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = element<HTMLParagraphElement>('status');
const list = element<HTMLOListElement>('top5');
const drop = element<HTMLLabelElement>('drop');

const BACKEND_NAMES = { wgsl: 'WebGPU (WGSL)', wasm: 'WebAssembly' } as const;

const classifier = chooseBackend(new URLSearchParams(location.search).get('backend')).then(async (backend) => {
  element('backend').textContent = `Running on ${BACKEND_NAMES[backend]}.`;
  return Classifier.create(backend);
});

function show(state: string, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function showResult(result: Classification, backend: string): void {
  list.replaceChildren(
    ...result.top5.map((c) => {
      const item = document.createElement('li');
      item.textContent = `${c.label ?? `class ${c.index}`} `;
      const prob = document.createElement('span');
      prob.className = 'prob';
      prob.textContent = `${(c.probability * 100).toFixed(1)}%`;
      item.append(prob);
      return item;
    }),
  );
  show('done', `${BACKEND_NAMES[backend as keyof typeof BACKEND_NAMES]}: ${result.inferenceMs.toFixed(1)} ms`);
  // For tests and the curious: the last result, logits included.
  (window as unknown as { snv2cResult: unknown }).snv2cResult = { backend, top5: result.top5, logits: Array.from(result.logits), inferenceMs: result.inferenceMs };
}

async function classifyFile(file: File): Promise<void> {
  show('working', `Classifying ${file.name}…`);
  element<HTMLImageElement>('preview').src = URL.createObjectURL(file);
  try {
    const model = await classifier;
    showResult(await model.classify(await decodeImage(file)), model.backend);
  } catch (e) {
    show('error', `Cannot classify ${file.name}: ${(e as Error).message}`);
  }
}

element<HTMLInputElement>('file').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void classifyFile(file);
});
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void classifyFile(file);
});
