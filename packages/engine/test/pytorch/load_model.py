"""Load a model saved by Gradbook's torch.save into real PyTorch and run it.

Usage: python3 load_model.py model.safetensors input.json  -> prints the output as JSON.
The safetensors file is read by its spec (u64 header length, JSON header, raw data), so the
check needs only Debian's python3-torch. The architecture comes from the file's metadata.
"""
import json
import struct
import sys

import torch
import torch.nn as nn

DTYPES = {"F32": torch.float32, "I64": torch.int64, "BOOL": torch.bool}


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n :]
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        buf = bytearray(data[begin:end])
        t = torch.frombuffer(buf, dtype=DTYPES[e["dtype"]]) if buf else torch.empty(0, dtype=DTYPES[e["dtype"]])
        tensors[name] = t.reshape(e["shape"])
    return tensors, meta


def build(spec):
    args = {k: v for k, v in spec.items() if k not in ("type", "children", "name")}
    if spec["type"] == "Sequential":
        return nn.Sequential(*[build(c) for c in spec["children"]])
    return getattr(nn, spec["type"])(**args)


tensors, meta = read_safetensors(sys.argv[1])
model = build(json.loads(meta["gradbook.architecture"]))
model.load_state_dict(tensors, strict=True)
model.train(meta.get("gradbook.training") != "false")
x = torch.tensor(json.load(open(sys.argv[2])), dtype=torch.float32)
with torch.no_grad():
    print(json.dumps(model(x).flatten().tolist()))
