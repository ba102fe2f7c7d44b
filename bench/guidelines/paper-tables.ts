// The four controlled experiments of ShuffleNet V2 (Ma, Zhang, Zheng, Sun: "ShuffleNet V2: Practical Guidelines
// for Efficient CNN Architecture Design", ECCV 2018, section 2, Tables 1-4), as configurations snv2c can build and
// the paper's own speeds to print beside ours.
//
// Every table has two column groups measured on different channel scales: GPU (a GTX 1080Ti, "Batches/sec.")
// and ARM (a Snapdragon 810, one thread, "Images/sec."; Tables 2-4 head that group "CPU", the text calls it ARM).
// Where the two groups list the same network, we build that one, so both paper figures describe exactly what we
// measure:
//   Table 1: GPU x1 = ARM x4 (c1, c2) = (128,128), (90,180), (52,312), (36,432)
//   Table 2: GPU x1 = CPU x2, c = 128, 180, 256, 360
//   Table 3: c = 128 (both groups list it)
//   Table 4: c = 128 (both groups list it)
// All four use a 56x56 input (the captions of Tables 1-3 say so; Table 4's caption names no size and we keep 56).

/** One row of a paper table: a label, its speeds in the paper (GPU batches/s, ARM images/s). */
export interface PaperRow<C> {
  readonly label: string;
  readonly config: C;
  readonly paperGpu: number;
  readonly paperArm: number;
}

/** Table 1 (G1): 10 blocks, each a 1x1 conv c1 -> c2 then a 1x1 conv c2 -> c1. */
export interface G1Config {
  readonly c1: number;
  readonly c2: number;
}

/** Table 2 (G2): 10 pointwise group convolutions c -> c with g groups. */
export interface G2Config {
  readonly groups: number;
  readonly channels: number;
}

/** Table 3 (G3): 10 blocks of `fragments` 1x1 convs, in series or in parallel (see networks.ts). */
export interface G3Config {
  readonly fragments: 1 | 2 | 4;
  readonly arrangement: 'series' | 'parallel';
  /** c of the 1-fragment network; the others derive their widths from it at equal FLOPs. */
  readonly channels: number;
}

/** Table 4 (G4): 10 ResNet bottleneck units of c channels, with or without ReLU and the shortcut. */
export interface G4Config {
  readonly relu: boolean;
  readonly shortcut: boolean;
  readonly channels: number;
}

export const INPUT_SIZE = 56;
/** Blocks (or layers, Table 2; units, Table 4) stacked in every experiment network. */
export const REPEATS = 10;

/** Table 1, GPU x1 column and ARM x4 column (the same channels). */
export const TABLE_1: readonly PaperRow<G1Config>[] = [
  { label: '1:1', config: { c1: 128, c2: 128 }, paperGpu: 1480, paperArm: 5.3 },
  { label: '1:2', config: { c1: 90, c2: 180 }, paperGpu: 1296, paperArm: 5.1 },
  { label: '1:6', config: { c1: 52, c2: 312 }, paperGpu: 876, paperArm: 4.6 },
  { label: '1:12', config: { c1: 36, c2: 432 }, paperGpu: 748, paperArm: 4.4 },
];

/** Table 2, GPU x1 column and CPU (ARM) x2 column (the same channels). */
export const TABLE_2: readonly PaperRow<G2Config>[] = [
  { label: 'g=1', config: { groups: 1, channels: 128 }, paperGpu: 2451, paperArm: 10.2 },
  { label: 'g=2', config: { groups: 2, channels: 180 }, paperGpu: 1725, paperArm: 9.5 },
  { label: 'g=4', config: { groups: 4, channels: 256 }, paperGpu: 1026, paperArm: 8.7 },
  { label: 'g=8', config: { groups: 8, channels: 360 }, paperGpu: 634, paperArm: 7.5 },
];

/** Table 3, the c = 128 column of both groups (GPU first column, CPU/ARM second). */
export const TABLE_3: readonly PaperRow<G3Config>[] = [
  { label: '1-fragment', config: { fragments: 1, arrangement: 'series', channels: 128 }, paperGpu: 2446, paperArm: 10.1 },
  { label: '2-fragment-series', config: { fragments: 2, arrangement: 'series', channels: 128 }, paperGpu: 1790, paperArm: 10.1 },
  { label: '4-fragment-series', config: { fragments: 4, arrangement: 'series', channels: 128 }, paperGpu: 752, paperArm: 10.1 },
  { label: '2-fragment-parallel', config: { fragments: 2, arrangement: 'parallel', channels: 128 }, paperGpu: 1537, paperArm: 9.1 },
  { label: '4-fragment-parallel', config: { fragments: 4, arrangement: 'parallel', channels: 128 }, paperGpu: 691, paperArm: 8.4 },
];

/** Table 4, the c = 128 column of both groups. */
export const TABLE_4: readonly PaperRow<G4Config>[] = [
  { label: 'ReLU yes, short-cut yes', config: { relu: true, shortcut: true, channels: 128 }, paperGpu: 1436, paperArm: 5.0 },
  { label: 'ReLU yes, short-cut no', config: { relu: true, shortcut: false, channels: 128 }, paperGpu: 1735, paperArm: 5.2 },
  { label: 'ReLU no, short-cut yes', config: { relu: false, shortcut: true, channels: 128 }, paperGpu: 1458, paperArm: 5.1 },
  { label: 'ReLU no, short-cut no', config: { relu: false, shortcut: false, channels: 128 }, paperGpu: 1782, paperArm: 5.4 },
];
