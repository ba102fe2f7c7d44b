// torchvision's published ImageNet checkpoints for ShuffleNetV2 (torchvision/models/shufflenetv2.py, 0.14:
// `ShuffleNet_V2_X*_Weights.IMAGENET1K_V1.url`). Each file name carries the start of the file's sha256 after
// its last '-', as torch.hub checks it (`HASH_REGEX = r'-([a-f0-9]*)\.'`).

import { CompileError } from '../../compiler/ir/errors.ts';

export const TORCHVISION_MODELS_URL = 'https://download.pytorch.org/models/';

export const TORCHVISION_CHECKPOINTS: Readonly<Record<string, string>> = {
  shufflenet_v2_x0_5: 'shufflenetv2_x0.5-f707e7126e.pth',
  shufflenet_v2_x1_0: 'shufflenetv2_x1-5666bf0f80.pth',
  shufflenet_v2_x1_5: 'shufflenetv2_x1_5-3c479a10.pth',
  shufflenet_v2_x2_0: 'shufflenetv2_x2_0-8be3c8ee.pth',
};

/** The sha256 prefix a checkpoint's file name promises (torch.hub's rule: the first "-<hex>." in the name). */
export function hashPrefixOf(fileName: string): string {
  const match = /-([a-f0-9]*)\./.exec(fileName);
  if (!match || match[1].length < 6) throw new CompileError(`the file name carries no sha256 prefix ("-<hex>.")`, { file: fileName, kind: 'invalid-input' });
  return match[1];
}
