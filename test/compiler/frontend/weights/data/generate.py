#!/usr/bin/python3
"""Small torch.save archives for the loader tests (run by hand: /usr/bin/python3 generate.py; outputs committed).

Each covers a pickle/storage feature the ShuffleNetV2 fixtures do not: views with strides and offsets, storages
shared by two tensors, nn.Parameter, float16/bfloat16 conversion, pickle protocol 4 framing, a big-endian archive.
expected.json holds the values PyTorch itself reads back (flattened, row-major) as the golden numbers.
"""
import json
import zipfile

import torch

torch.manual_seed(0)
base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.5 - 1.0
tensors = {
    'transposed': base.t(),                  # shape [4, 3], stride [1, 4]
    'row': base[1],                          # storage offset 4, shares base's storage
    'column': base[:, 2],                    # stride [4], offset 2
    'half': torch.tensor([1.0, -2.5, 65504.0, 6.1035e-05, 1e-7], dtype=torch.float16),
    'bf16': torch.tensor([1.0, -3.140625, 1e30, -1e-30], dtype=torch.bfloat16),
    'param': torch.nn.Parameter(torch.tensor([[0.25, -0.75]])),
    'steps': torch.tensor(7),                # int64 scalar (like num_batches_tracked): refused unless named so
}
expected = {k: {'shape': list(v.shape), 'data': v.detach().float().flatten().tolist()} for k, v in tensors.items() if k != 'steps'}

torch.save({k: v for k, v in tensors.items() if k != 'steps'}, 'views.pth')
torch.save({'a': base, 'b.num_batches_tracked': torch.tensor(3)}, 'protocol4.pth', pickle_protocol=4)
torch.save({'steps': tensors['steps']}, 'int64.pth')

# Big-endian archive: the same entries with every float32 storage byte-swapped and a byteorder record.
with zipfile.ZipFile('protocol4.pth') as src, zipfile.ZipFile('bigendian.pth', 'w', zipfile.ZIP_STORED) as dst:
    for info in src.infolist():
        data = src.read(info.filename)
        if '/data/' in info.filename and len(data) == 48:   # base's 12 float32 values
            data = b''.join(data[i:i + 4][::-1] for i in range(0, len(data), 4))
        dst.writestr(info.filename, data)
        prefix = info.filename.split('/')[0]
    dst.writestr(prefix + '/byteorder', 'big')

expected['a'] = {'shape': [3, 4], 'data': base.flatten().tolist()}
with open('expected.json', 'w') as f:
    json.dump(expected, f, indent=1)
