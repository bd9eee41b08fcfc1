# Provenance of this folder: written by torch 2.11.0+cu130 and safetensors 0.8.0 (Python 3.12.3) with this script
# (`OUT=<this folder> python generate.py`). The .bin files are what torch.save writes (zip archives, protocol 2 and
# 4, and one legacy non-zip file); the -expected.safetensors files hold the same tensors made contiguous, written
# by safetensors.torch.save_file, to compare against what readTorchBin returns.
import collections, os
import torch
from safetensors.torch import save_file

out = os.environ['OUT']
g = torch.Generator().manual_seed(0)
base = torch.randn(4, 6, generator=g)
sd = collections.OrderedDict()
sd['f32'] = base
sd['f32_t'] = base.t()                    # non-contiguous view of the same storage
sd['f32_slice'] = base[1:3, 2:5]          # storage offset + strides
sd['f32_step'] = base[:, ::2]
sd['f16'] = base.half()
sd['bf16'] = base.bfloat16()
sd['f64'] = base.double()
sd['i64'] = torch.arange(5) - 2
sd['i32'] = torch.arange(5, dtype=torch.int32)
sd['i16'] = torch.tensor([-300, 300], dtype=torch.int16)
sd['i8'] = torch.tensor([-7, 7], dtype=torch.int8)
sd['u8'] = torch.tensor([0, 255], dtype=torch.uint8)
sd['bool'] = torch.tensor([True, False, True])
sd['scalar'] = torch.tensor(3.5)
sd['empty'] = torch.zeros(0, 3)
sd['expanded'] = torch.arange(3.0).expand(4, 3)  # stride 0
sd['param'] = torch.nn.Parameter(torch.ones(2, 2))
sd['nested'] = {'w': torch.full((2,), 9.0)}
torch.save(sd, os.path.join(out, 'cases.bin'))
torch.save(sd, os.path.join(out, 'cases-p4.bin'), pickle_protocol=4)
torch.save(sd, os.path.join(out, 'cases-legacy.bin'), _use_new_zipfile_serialization=False)
flat = {k: v.detach().clone().contiguous() for k, v in sd.items() if k != 'nested'}
flat['nested.w'] = sd['nested']['w'].clone()
save_file(flat, os.path.join(out, 'cases-expected.safetensors'))
m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.LayerNorm(4))  # a real state_dict(), with _metadata
torch.save(m.state_dict(), os.path.join(out, 'module.bin'))
save_file({k: v.contiguous() for k, v in m.state_dict().items()}, os.path.join(out, 'module-expected.safetensors'))

# rounding-probes.bin: records of (float32 bits u32, torch .to(float16) bits u16, .to(bfloat16) bits u16), little
# endian, every 160th of: every finite f16 value, the midpoints between consecutive f16 values (ties), one float32
# ulp either side of both, their negatives, 200000 random bit patterns (numpy default_rng(7)), and every bf16 tie.
# (The whole 650560-probe set was also compared once: no mismatch.)
