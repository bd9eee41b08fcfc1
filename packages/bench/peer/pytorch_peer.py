"""PyTorch peer of @bertkit/bench's runBench: times the same three steps in plain torch and prints one JSON line
per run with the same field names (ms_per_step_median, tokens_per_s, ...), so the two compare in one table.

  forward   encoder forward in eval mode (inference_mode), outputs [B, T, H] and pooled [B, H]
  train     pre-training step: MLM logits at round(0.15 T) positions per row (gathered, as bertkit and
            google-research/bert do) + NSP, dropout 0.1, backward, clip_grad_norm 1.0, AdamW (eps 1e-6, decay 0.01
            except biases and LayerNorm), loss read back
  finetune  sequence classification: pooled [CLS] -> dropout -> Linear(H, 2), cross-entropy, same optimizer

The model is built from plain torch ops with bertkit's preset shapes (post-LN, exact-erf GELU, I = 4H,
vocabulary 30522, MLM decoder tied to the word embeddings). Not a dependency of bertkit: run it where torch is
installed (Debian: apt-get install python3-torch).

    python3 packages/bench/peer/pytorch_peer.py --preset tiny --task train --batch 32 --seq 128 [--threads 2]
"""
import argparse, json, math, os, platform, resource, statistics, time
import torch
import torch.nn.functional as F

PRESETS = {"tiny": (2, 128, 2), "mini": (4, 256, 4), "small": (4, 512, 8), "medium": (8, 512, 8),
           "base": (12, 768, 12), "large": (24, 1024, 16)}
V = 30522


class Bert(torch.nn.Module):
    def __init__(self, layers, hidden, heads, max_pos, dropout):
        super().__init__()
        inter = 4 * hidden
        self.heads, self.hidden, self.p = heads, hidden, dropout
        self.word = torch.nn.Embedding(V, hidden)
        self.pos = torch.nn.Embedding(max_pos, hidden)
        self.typ = torch.nn.Embedding(2, hidden)
        self.ln = torch.nn.LayerNorm(hidden, eps=1e-12)
        L = lambda i, o: torch.nn.Linear(i, o)
        self.layers = torch.nn.ModuleList(torch.nn.ModuleDict(dict(
            q=L(hidden, hidden), k=L(hidden, hidden), v=L(hidden, hidden), o=L(hidden, hidden),
            ln1=torch.nn.LayerNorm(hidden, eps=1e-12), i=L(hidden, inter), out=L(inter, hidden),
            ln2=torch.nn.LayerNorm(hidden, eps=1e-12))) for _ in range(layers))
        self.pool = L(hidden, hidden)

        for m in self.modules():  # BERT's init: N(0, 0.02) weights, zero biases
            if isinstance(m, (torch.nn.Linear, torch.nn.Embedding)):
                torch.nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, torch.nn.Linear):
                torch.nn.init.zeros_(m.bias)

    def forward(self, ids, types, mask):
        b, t = ids.shape
        drop = lambda x: F.dropout(x, self.p, self.training)
        h = drop(self.ln(self.word(ids) + self.pos(torch.arange(t, device=ids.device))[None] + self.typ(types)))
        add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        d = self.hidden // self.heads
        split = lambda x: x.view(b, t, self.heads, d).transpose(1, 2)
        for l in self.layers:
            q, k, v = split(l["q"](h)), split(l["k"](h)), split(l["v"](h))
            p = drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + add, dim=-1))
            c = (p @ v).transpose(1, 2).reshape(b, t, self.hidden)
            h = l["ln1"](drop(l["o"](c)) + h)
            h = l["ln2"](drop(l["out"](F.gelu(l["i"](h)))) + h)
        return h, torch.tanh(self.pool(h[:, 0]))


class PreTraining(torch.nn.Module):
    """HF BertForPreTraining's heads: transform (dense, gelu, LayerNorm), decoder tied to the word embeddings + bias; NSP."""

    def __init__(self, bert):
        super().__init__()
        h = bert.hidden
        self.bert = bert
        self.transform = torch.nn.Linear(h, h)
        self.tln = torch.nn.LayerNorm(h, eps=1e-12)
        self.bias = torch.nn.Parameter(torch.zeros(V))
        self.nsp = torch.nn.Linear(h, 2)

    def forward(self, ids, types, mask, flat_positions, labels, nsp_labels):
        seq, pooled = self.bert(ids, types, mask)
        picked = seq.reshape(-1, self.bert.hidden)[flat_positions]  # [N, H]
        logits = self.tln(F.gelu(self.transform(picked))) @ self.bert.word.weight.t() + self.bias  # [N, V]
        return F.cross_entropy(logits, labels) + F.cross_entropy(self.nsp(pooled), nsp_labels)


class Classifier(torch.nn.Module):
    def __init__(self, bert, dropout):
        super().__init__()
        self.bert, self.p = bert, dropout
        self.head = torch.nn.Linear(bert.hidden, 2)

    def forward(self, ids, types, mask, labels):
        _, pooled = self.bert(ids, types, mask)
        return F.cross_entropy(self.head(F.dropout(pooled, self.p, self.training)), labels)


def adamw(model):
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "ln" in n.split(".")[-2])]
    rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "ln" in n.split(".")[-2]]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}],
                             lr=1e-4, eps=1e-6)


def run(a):
    layers, hidden, heads = PRESETS[a.preset]
    torch.manual_seed(a.seed)
    B, T = a.batch, a.seq
    ids = torch.randint(1000, V, (B, T))
    ids[:, 0], ids[:, T // 2], ids[:, T - 1] = 101, 102, 102
    types = torch.zeros(B, T, dtype=torch.long)
    types[:, T // 2 + 1:] = 1
    mask = torch.ones(B, T, dtype=torch.long)
    bert = Bert(layers, hidden, heads, max(512, T), 0.0 if a.task == "forward" else 0.1)
    if a.task == "forward":
        model = bert.eval()
        step_fn = lambda: [x.sum().item() for x in model(ids, types, mask)]
    else:
        if a.task == "train":
            P = max(1, round(0.15 * T))
            cand = [i for i in range(T) if i not in (0, T // 2, T - 1)]
            pos = torch.stack([torch.tensor(sorted(torch.randperm(len(cand))[:P].tolist())) for _ in range(B)])
            pos = torch.tensor(cand)[pos]  # [B, P]
            flat = (pos + torch.arange(B)[:, None] * T).reshape(-1)
            labels = ids.reshape(-1)[flat]
            nsp = torch.randint(0, 2, (B,))
            model = PreTraining(bert).train()
            loss_fn = lambda: model(ids, types, mask, flat, labels, nsp)
        else:
            model = Classifier(bert, 0.1).train()
            labels = torch.randint(0, 2, (B,))
            loss_fn = lambda: model(ids, types, mask, labels)
        opt = adamw(model)

        def step_fn():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            return loss.item()

    ms, loss = [], None
    ctx = torch.inference_mode() if a.task == "forward" else torch.enable_grad()
    with ctx:
        for i in range(a.warmup + a.steps):
            t0 = time.perf_counter()
            out = step_fn()
            if i >= a.warmup:
                ms.append((time.perf_counter() - t0) * 1000)
            loss = out
    med = statistics.median(ms)
    r = {
        "preset": a.preset, "task": a.task, "backend": "pytorch-cpu",
        "adapter": f"torch {torch.__version__}, {torch.get_num_threads()} threads",
        "batch": B, "seq": T, "steps": len(ms), "warmup": a.warmup,
        "ms_per_step_median": med, "ms_per_step_min": min(ms), "ms_per_step_max": max(ms),
        "ms_per_step": [round(x, 2) for x in ms], "tokens_per_s": B * T / (med / 1000),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "params": sum(p.numel() for p in model.parameters()),
        "machine": f"Python {platform.python_version()}, {platform.processor() or platform.machine()} x {os.cpu_count()}",
    }
    if a.task != "forward":
        r["loss"] = loss
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--preset", default="tiny", choices=sorted(PRESETS))
    ap.add_argument("--task", default="train", choices=["forward", "train", "finetune"])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(json.dumps(run(a)), flush=True)


if __name__ == "__main__":
    main()
