#!/usr/bin/python3
"""Small torch.save archives for the loader tests (run by hand: /usr/bin/python3 generate.py; outputs committed).

Each covers a pickle/storage feature the ShuffleNetV2 fixtures do not: views with strides and offsets, storages
shared by two tensors, nn.Parameter, float16/bfloat16 conversion, pickle protocol 4 framing, a big-endian archive,
and the same in torch's legacy (pre-1.6, non-zip) format, plus a legacy nn.Module state_dict (OrderedDict with
_metadata, int64 num_batches_tracked). expected.json and legacy_module.json hold the values PyTorch itself reads
back (flattened, row-major) as the golden numbers. The legacy files name storages by memory address, so they
differ byte-wise from run to run; their contents do not.
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

# Legacy format: the same tensors as views.pth and protocol4.pth, written by torch's own legacy writer.
legacy = dict(_use_new_zipfile_serialization=False)
torch.save({k: v for k, v in tensors.items() if k != 'steps'}, 'legacy_views.pth', **legacy)
torch.save({'a': base, 'b.num_batches_tracked': torch.tensor(3)}, 'legacy_protocol4.pth', pickle_protocol=4, **legacy)

module = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3))
with torch.no_grad():
    module[1].running_mean.uniform_(-1, 1)
    module[1].running_var.uniform_(0.5, 2)
    module[1].weight.uniform_(-1, 1)
    module[1].num_batches_tracked += 5
torch.save(module.state_dict(), 'legacy_module.pth', **legacy)

# The golden numbers are what torch.load reads back from the files just written.
for file, want in (('legacy_views.pth', {k: v for k, v in expected.items() if k != 'a'}), ('legacy_protocol4.pth', {'a': expected['a']})):
    got = torch.load(file)
    assert {k: {'shape': list(v.shape), 'data': v.float().flatten().tolist()} for k, v in got.items() if k != 'b.num_batches_tracked'} == want, file
loaded = torch.load('legacy_module.pth')
assert isinstance(loaded, dict) and hasattr(loaded, '_metadata') and loaded['1.num_batches_tracked'].item() == 5
with open('legacy_module.json', 'w') as f:
    json.dump({k: {'shape': list(v.shape), 'data': v.float().flatten().tolist()} for k, v in loaded.items()
               if k != '1.num_batches_tracked'}, f, indent=1)
