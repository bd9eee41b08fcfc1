"""PyTorch peer for `pnpm bench` in @bertkit/encoder (run it where PyTorch is installed; it is not a dependency).

Builds a BERT encoder with the same shapes as bertkit's presets (post-LN layers: Q/K/V/O projections, softmax
attention with an additive mask, exact-erf GELU FFN, LayerNorm; word + position + type embeddings; tanh pooler)
from plain torch ops, and times a forward pass at batch 8 x seq 128 in eval mode, fp32, like bench/forward.ts.
Prints one line per (device, threads, preset): sequences/s and GFLOP/s (same FLOP count as forward.ts).

    python3 bench/pytorch-peer.py [--presets tiny,mini,small,base] [--devices cpu1,cpu,cuda] [--seconds 5]
"""
import argparse, math, os, platform, time
import torch

PRESETS = {"tiny": (2, 128, 2), "mini": (4, 256, 4), "small": (4, 512, 8), "medium": (8, 512, 8),
           "base": (12, 768, 12), "large": (24, 1024, 16)}
B, T, V = 8, 128, 30522


class Bert(torch.nn.Module):
    def __init__(self, layers, hidden, heads):
        super().__init__()
        inter = 4 * hidden
        self.heads, self.hidden = heads, hidden
        self.word = torch.nn.Embedding(V, hidden)
        self.pos = torch.nn.Embedding(512, hidden)
        self.typ = torch.nn.Embedding(2, hidden)
        self.ln = torch.nn.LayerNorm(hidden, eps=1e-12)
        L = lambda i, o: torch.nn.Linear(i, o)
        self.layers = torch.nn.ModuleList(torch.nn.ModuleDict(dict(
            q=L(hidden, hidden), k=L(hidden, hidden), v=L(hidden, hidden), o=L(hidden, hidden),
            ln1=torch.nn.LayerNorm(hidden, eps=1e-12), i=L(hidden, inter), out=L(inter, hidden),
            ln2=torch.nn.LayerNorm(hidden, eps=1e-12))) for _ in range(layers))
        self.pool = L(hidden, hidden)

    def forward(self, ids, types, mask):
        b, t = ids.shape
        h = self.ln(self.word(ids) + self.pos(torch.arange(t, device=ids.device))[None] + self.typ(types))
        add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        d = self.hidden // self.heads
        split = lambda x: x.view(b, t, self.heads, d).transpose(1, 2)
        for l in self.layers:
            q, k, v = split(l["q"](h)), split(l["k"](h)), split(l["v"](h))
            p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + add, dim=-1)
            c = (p @ v).transpose(1, 2).reshape(b, t, self.hidden)
            h = l["ln1"](l["o"](c) + h)
            h = l["ln2"](l["out"](torch.nn.functional.gelu(l["i"](h))) + h)
        return h, torch.tanh(self.pool(h[:, 0]))


def flops(layers, hidden):
    inter = 4 * hidden
    per_layer = 2 * B * T * (4 * hidden * hidden + 2 * hidden * inter) + 2 * 2 * B * T * T * hidden
    return layers * per_layer + 2 * B * hidden * hidden


def bench(preset, device, seconds):
    layers, hidden, heads = PRESETS[preset]
    dev = "cuda" if device == "cuda" else "cpu"
    torch.manual_seed(0)
    m = Bert(layers, hidden, heads).to(dev).eval()
    ids = torch.randint(0, V, (B, T), device=dev)
    types = torch.zeros(B, T, dtype=torch.long, device=dev)
    mask = torch.ones(B, T, dtype=torch.long, device=dev)
    sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
    times = []
    with torch.inference_mode():
        for i in range(3):
            m(ids, types, mask)
        sync()
        start = time.perf_counter()
        while len(times) < 5 or (time.perf_counter() - start < seconds and len(times) < 200):
            t0 = time.perf_counter()
            m(ids, types, mask)
            sync()
            times.append(time.perf_counter() - t0)
    times.sort()
    s = times[len(times) // 2]
    return B / s, flops(layers, hidden) / s / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default="tiny,mini,small,base")
    ap.add_argument("--devices", default="cpu1,cpu" + (",cuda" if torch.cuda.is_available() else ""))
    ap.add_argument("--seconds", type=float, default=5)
    a = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 like bertkit
    torch.backends.cudnn.allow_tf32 = False
    print(f"pytorch {torch.__version__} on {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
          + (f", {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else ""))
    for device in a.devices.split(","):
        threads = 1 if device == "cpu1" else os.cpu_count()
        torch.set_num_threads(threads)
        for p in a.presets.split(","):
            sps, gf = bench(p, device, a.seconds)
            label = "cuda" if device == "cuda" else f"cpu x{threads}"
            print(f"pytorch {label:8s} {p:6s} B{B}xT{T}: {sps:10.1f} seq/s  {gf:9.1f} GFLOP/s", flush=True)


if __name__ == "__main__":
    main()
