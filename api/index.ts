// The snv2c library: `import { compile, analyze, writeArtifacts, targetNames } from 'snv2c'`.
// Everything the CLI, the bundler plugin, the golden self-tests and the benches do goes through these functions.

export { analyze, analyzeGraph, compile, compileGraph, CompileError } from './compile.ts';
export type { AnalyzeOptions, AnalyzeResult, CompileOptions, CompileResult, ModelSource, PassOptions } from './compile.ts';
export type { ErrorKind } from '../compiler/ir/errors.ts';
export { loadGraph, modelFormat } from './model-source.ts';
export type { LoadOptions, SpecObject } from './model-source.ts';
export { writeArtifacts, writeArtifactsSync } from './write-artifacts.ts';
export { loadTarget, targetNames } from './targets.ts';
export { loadCompiled, loadCompiledFolder } from './load-compiled.ts';
export { loadRunner, runnerNames } from './runners.ts';
export type { Artifact } from '../compiler/target.ts';
export type { Graph } from '../compiler/ir/types.ts';
export type { MemoryPlan } from '../compiler/plan/types.ts';
export type { ModelAnalysis } from '../compiler/analysis/analyze-model.ts';
export type { Model } from '../runtime/model-api.ts';
export { decodeImage } from './image/decode-image.ts';
export { imageTensor, readImage, readImageTensor } from './image/image-input.ts';
export { fetchCheckpoint } from './weights/fetch-checkpoint.ts';
export type { FetchCheckpointOptions } from './weights/fetch-checkpoint.ts';
export { TORCHVISION_CHECKPOINTS } from './weights/torchvision-checkpoints.ts';
export { verifyFolder } from './golden/verify-folder.ts';
export type { VerifyResult, VerifiedCase } from './golden/verify-folder.ts';
export type { GoldenManifest } from './golden/golden-artifacts.ts';
