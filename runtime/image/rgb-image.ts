// The picture type the preprocessing works on: what PIL holds after `Image.open(path).convert('RGB')`.

/** 8-bit RGB, row-major, 3 bytes per pixel, no padding between rows. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A blank picture of the given size (black). */
export function rgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3) };
}
