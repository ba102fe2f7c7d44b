/* ShuffleNetV2 (torchvision layout, BN folded) on XNNPACK's operator API, the peer of bench/c-vs-xnnpack.ts.
 * NHWC throughout. Split and concat cost nothing: a branch reads or writes its half of a tensor through the
 * operators' channel strides, and a stride-1 unit's last 1x1 conv writes into the half its input came from
 * (dead by then), so the unit's concat is its input tensor; only the channel shuffle copies (XNNPACK has no
 * strided-view shuffle). ReLU rides on the convolutions' output clamp.
 *
 *   shufflenet-xnnpack model.bin threads
 * model.bin: int32 header {3 stage repeats, 5 stage channels, classes, height, width}, then float32 weights in
 * graph order (conv kernels OHWI + bias; fc [classes][features] + bias).
 * Serves inferences over pipes with the protocol of snv2c's bench harness (bench/native/bench-main.ts), so the
 * bench times both the same way: per request, stdin height*width*3 floats (NHWC) -> stdout the logits as floats,
 * then two doubles (wall ms of the operators' run alone, and the process's CPU ms during it).
 * Build: cc -O3 -march=native shufflenet-xnnpack.c -lXNNPACK -lpthreadpool -lcpuinfo -lm (Debian libxnnpack-dev). */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <pthreadpool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xnnpack.h>

#define MAX_OPS 256

static xnn_operator_t ops[MAX_OPS];
static int op_count;
static const float *weights;
static size_t weights_at, weights_floats;
static pthreadpool_t pool;

static void check(enum xnn_status status, const char *what) {
  if (status != xnn_status_success) {
    fprintf(stderr, "xnnpack: %s failed (%d)\n", what, (int)status);
    exit(1);
  }
}

static const float *take(size_t floats) {
  const float *p = weights + weights_at;
  if (weights_at + floats > weights_floats) {
    fprintf(stderr, "model.bin: too few weights\n");
    exit(1);
  }
  weights_at += floats;
  return p;
}

static float *tensor(size_t floats) {
  float *p = calloc(floats, sizeof(float));
  if (!p) exit(1);
  return p;
}

/* One convolution (k x k, stride s, padding k/2) reading `in` ([h][w] pixels, `in_stride` floats apart) and
 * writing `out` (`out_stride` floats apart); depthwise when `groups` > 1. */
static void conv(size_t h, size_t w, size_t k, size_t s, size_t groups, size_t cin, size_t cout, int relu,
                 const float *in, size_t in_stride, float *out, size_t out_stride) {
  const size_t gin = cin / groups, gout = cout / groups;
  const float *kernel = take(cout * k * k * gin), *bias = take(cout);
  const uint32_t pad = (uint32_t)(k / 2);
  xnn_operator_t op;
  if (op_count == MAX_OPS) exit(1);
  check(xnn_create_convolution2d_nhwc_f32(pad, pad, pad, pad, (uint32_t)k, (uint32_t)k, (uint32_t)s, (uint32_t)s, 1, 1,
                                          (uint32_t)groups, gin, gout, in_stride, out_stride, kernel, bias,
                                          relu ? 0.0f : -INFINITY, INFINITY, 0, &op), "create convolution");
  check(xnn_setup_convolution2d_nhwc_f32(op, 1, h, w, in, out, pool), "setup convolution");
  ops[op_count++] = op;
}

static void shuffle(size_t pixels, size_t channels, const float *in, float *out) {
  xnn_operator_t op;
  check(xnn_create_channel_shuffle_nc_x32(2, channels / 2, channels, channels, 0, &op), "create shuffle");
  check(xnn_setup_channel_shuffle_nc_x32(op, pixels, in, out, pool), "setup shuffle");
  ops[op_count++] = op;
}

static double clock_ms(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void *read_file(const char *path, size_t *bytes) {
  FILE *f = fopen(path, "rb");
  void *data;
  long size;
  if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  data = malloc((size_t)size);
  if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) exit(1);
  fclose(f);
  *bytes = (size_t)size;
  return data;
}

int main(int argc, char **argv) {
  size_t bytes, h, w, c, input_floats;
  int32_t *header;
  float *input, *x, *logits, *pooled;
  int threads, stage, unit, classes;
  if (argc != 3) {
    fprintf(stderr, "usage: %s model.bin threads\n", argv[0]);
    return 2;
  }
  header = read_file(argv[1], &bytes);
  weights = (const float *)(header + 11);
  weights_floats = bytes / 4 - 11;
  threads = atoi(argv[2]);
  classes = header[8];
  h = (size_t)header[9];
  w = (size_t)header[10];
  input_floats = h * w * 3;
  input = tensor(input_floats);
  check(xnn_initialize(NULL), "initialize");
  pool = threads > 1 ? pthreadpool_create((size_t)threads) : NULL;

  /* stem 3x3 s2 + relu, max pool 3x3 s2 */
  c = (size_t)header[3];
  x = tensor(h / 2 * (w / 2) * c);
  conv(h, w, 3, 2, 1, 3, c, 1, input, 3, x, c);
  h /= 2, w /= 2;
  {
    float *y = tensor(h / 2 * (w / 2) * c);
    xnn_operator_t op;
    check(xnn_create_max_pooling2d_nhwc_f32(1, 1, 1, 1, 3, 3, 2, 2, 1, 1, c, c, c, -INFINITY, INFINITY, 0, &op), "create max pool");
    check(xnn_setup_max_pooling2d_nhwc_f32(op, 1, h, w, x, y, pool), "setup max pool");
    ops[op_count++] = op;
    x = y, h /= 2, w /= 2;
  }
  for (stage = 0; stage < 3; stage++) {
    const size_t out = (size_t)header[4 + stage], half = out / 2;
    for (unit = 0; unit < header[stage]; unit++) {
      float *joined, *shuffled;
      if (unit == 0) {
        /* stride 2: branch1 (dw s2, 1x1) and branch2 (1x1, dw s2, 1x1) write the two halves of `joined` */
        const size_t oh = (h + 1) / 2, ow = (w + 1) / 2;
        float *t1 = tensor(oh * ow * c), *t2 = tensor(h * w * half), *t3 = tensor(oh * ow * half);
        joined = tensor(oh * ow * out);
        conv(h, w, 3, 2, c, c, c, 0, x, c, t1, c);
        conv(oh, ow, 1, 1, 1, c, half, 1, t1, c, joined, out);
        conv(h, w, 1, 1, 1, c, half, 1, x, c, t2, half);
        conv(h, w, 3, 2, half, half, half, 0, t2, half, t3, half);
        conv(oh, ow, 1, 1, 1, half, half, 1, t3, half, joined + half, out);
        h = oh, w = ow, c = out;
      } else {
        /* stride 1: branch2 reads the second half and writes it back in place */
        float *t2 = tensor(h * w * half), *t3 = tensor(h * w * half);
        joined = x;
        conv(h, w, 1, 1, 1, half, half, 1, x + half, c, t2, half);
        conv(h, w, 3, 1, half, half, half, 0, t2, half, t3, half);
        conv(h, w, 1, 1, 1, half, half, 1, t3, half, x + half, c);
      }
      shuffled = tensor(h * w * c);
      shuffle(h * w, c, joined, shuffled);
      x = shuffled;
    }
  }
  {
    /* conv5 1x1 + relu, global average pool, fully connected */
    const size_t features = (size_t)header[7];
    float *y = tensor(h * w * features);
    xnn_operator_t op;
    conv(h, w, 1, 1, 1, c, features, 1, x, c, y, features);
    pooled = tensor(features);
    check(xnn_create_global_average_pooling_nwc_f32(features, features, features, -INFINITY, INFINITY, 0, &op), "create pool");
    check(xnn_setup_global_average_pooling_nwc_f32(op, 1, h * w, y, pooled, pool), "setup pool");
    ops[op_count++] = op;
    logits = tensor((size_t)classes);
    {
      const float *kernel = take((size_t)classes * features), *bias = take((size_t)classes);
      check(xnn_create_fully_connected_nc_f32(features, (size_t)classes, features, (size_t)classes, kernel, bias, -INFINITY, INFINITY, 0, &op), "create fc");
      check(xnn_setup_fully_connected_nc_f32(op, 1, pooled, logits, pool), "setup fc");
      ops[op_count++] = op;
    }
  }
  if (weights_at != weights_floats) {
    fprintf(stderr, "model.bin: %lu weights left over\n", (unsigned long)(weights_floats - weights_at));
    return 1;
  }
  for (;;) {
    double start, cpu_start, times[2];
    int k;
    size_t got = fread(input, sizeof(float), input_floats, stdin);
    if (got == 0 && feof(stdin)) return 0;
    if (got != input_floats) return 2;
    start = clock_ms(CLOCK_MONOTONIC);
    cpu_start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    for (k = 0; k < op_count; k++) check(xnn_run_operator(ops[k], pool), "run");
    times[0] = clock_ms(CLOCK_MONOTONIC) - start;
    times[1] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    if (fwrite(logits, sizeof(float), (size_t)classes, stdout) != (size_t)classes) return 4;
    if (fwrite(times, sizeof(double), 2, stdout) != 2) return 4;
    if (fflush(stdout) != 0) return 4;
  }
}
