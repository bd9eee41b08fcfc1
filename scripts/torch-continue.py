"""Continue training a bertkit (or HF) BERT-for-pre-training checkpoint in plain PyTorch, and write it back.

Reads <dir>/config.json + <dir>/model.safetensors (what `bert pretrain --out dir` and bertkit's
`savePretrainingModel` write: HF `BertForPreTraining` / `BertForMaskedLM` names, decoder tied to the word
embeddings), runs `--steps` AdamW steps on a seeded MLM (+ NSP) batch, writes model.safetensors back with the same
tensor names (atomically), and prints the logits of a fixed probe input before and after.

It is the smallest honest stand-in for "train it elsewhere": PyTorch alone (Debian's `python3-torch` is enough, no
transformers, no safetensors package), modules named exactly like transformers' `modeling_bert.py`, so
`model.state_dict()` keys are the checkpoint's keys. With transformers installed, `BertForPreTraining.from_pretrained`
does the same job; docs/scale-out.md shows both.

    python3 scripts/torch-continue.py DIR [--out DIR2] [--steps 1] [--lr 1e-3] [--seed 0]
                                          [--probe 1,7,3,2] [--probe-types 0,0,1,1] [--json]
"""
import argparse, json, math, os, struct, sys
import torch
from torch import nn
import torch.nn.functional as F

# ---- safetensors: 8-byte little-endian header length, JSON header, raw little-endian data ----------------------
DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n])
    meta = header.pop("__metadata__", None) or {}
    data = memoryview(buf)[8 + n:]
    out = {}
    for name, h in header.items():
        if h["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name}: expected a dtype in {sorted(DTYPES)}, got {h['dtype']}")
        b, e = h["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:e]), dtype=DTYPES[h["dtype"]]) if e > b else torch.empty(0, dtype=DTYPES[h["dtype"]])
        out[name] = t.reshape(h["shape"])
    return out, meta


def write_safetensors(path, tensors, meta):
    header, chunks, off = {"__metadata__": meta} if meta else {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().cpu().view(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)  # the data starts 8-byte aligned, as the reference writer pads it
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for c in chunks:
            f.write(c)
    os.replace(tmp, path)


# ---- BERT with transformers' module names (models/bert/modeling_bert.py) ------------------------------------------
def activation(name):
    if name == "gelu":
        return lambda x: F.gelu(x)  # exact erf form
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return lambda x: F.gelu(x, approximate="tanh")
    if name == "relu":
        return F.relu
    raise ValueError(f"config.json hidden_act: expected gelu, gelu_new, gelu_pytorch_tanh or relu, got {name!r}")


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, ids, types):
        pos = torch.arange(ids.shape[1], device=ids.device)[None]  # [1, T]
        return self.dropout(self.LayerNorm(self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(types)))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def forward(self, x, add_mask):  # x [B, T, H], add_mask [B, 1, 1, T]
        b, t, h = x.shape
        d = h // self.heads
        split = lambda y: y.view(b, t, self.heads, d).transpose(1, 2)  # [B, A, T, d]
        scores = split(self.query(x)) @ split(self.key(x)).transpose(-1, -2) / math.sqrt(d) + add_mask  # [B, A, T, T]
        ctx = self.dropout(torch.softmax(scores, dim=-1)) @ split(self.value(x))
        return ctx.transpose(1, 2).reshape(b, t, h)


class DenseNorm(nn.Module):  # BertSelfOutput / BertOutput: dense, dropout, residual, LayerNorm
    def __init__(self, c, inp):
        super().__init__()
        self.dense = nn.Linear(inp, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c["hidden_size"])

    def forward(self, x, add_mask):
        return self.output(self.self(x, add_mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.act = activation(c["hidden_act"])

    def forward(self, x):
        return self.act(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c["intermediate_size"])

    def forward(self, x, add_mask):
        a = self.attention(x, add_mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, seq):
        return torch.tanh(self.dense(seq[:, 0]))


class Bert(nn.Module):
    def __init__(self, c, pooler):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c) if pooler else None

    def forward(self, ids, types, mask):
        add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min  # [B, 1, 1, T]
        h = self.embeddings(ids, types)
        for layer in self.encoder.layer:
            h = layer(h, add)
        return h, (self.pooler(h) if self.pooler is not None else None)


class Transform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.act = activation(c["hidden_act"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x):
        return self.LayerNorm(self.act(self.dense(x)))


class Predictions(nn.Module):  # BertLMPredictionHead; the decoder weight is the word-embedding table (tied)
    def __init__(self, c):
        super().__init__()
        self.transform = Transform(c)
        self.bias = nn.Parameter(torch.zeros(c["vocab_size"]))


class Heads(nn.Module):
    def __init__(self, c, nsp):
        super().__init__()
        self.predictions = Predictions(c)
        self.seq_relationship = nn.Linear(c["hidden_size"], 2) if nsp else None


class BertForPreTraining(nn.Module):
    def __init__(self, c, nsp, pooler):
        super().__init__()
        self.bert = Bert(c, pooler=pooler)
        self.cls = Heads(c, nsp)

    def forward(self, ids, types, mask):
        seq, pooled = self.bert(ids, types, mask)
        p = self.cls.predictions
        mlm = p.transform(seq) @ self.bert.embeddings.word_embeddings.weight.T + p.bias  # [B, T, V]
        nsp = self.cls.seq_relationship(pooled) if self.cls.seq_relationship is not None else None  # [B, 2]
        return mlm, nsp


# ---- load, train, save -----------------------------------------------------------------------------------------
DEFAULTS = dict(hidden_act="gelu", hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, max_position_embeddings=512,
                type_vocab_size=2, layer_norm_eps=1e-12, pad_token_id=0)
TIED = ("cls.predictions.decoder.weight", "cls.predictions.decoder.bias")  # aliases some writers store, some do not
BUFFERS = ("bert.embeddings.position_ids",)  # a buffer older transformers saved; not a parameter


def load(d):
    with open(os.path.join(d, "config.json")) as f:
        c = {**DEFAULTS, **json.load(f)}
    for k in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size"):
        if k not in c:
            raise ValueError(f"{d}/config.json: expected a {k} field, got none")
    tensors, meta = read_safetensors(os.path.join(d, "model.safetensors"))
    model = BertForPreTraining(c, nsp="cls.seq_relationship.weight" in tensors, pooler="bert.pooler.dense.weight" in tensors)
    state = {k: v for k, v in tensors.items() if k not in TIED and k not in BUFFERS}
    dtypes = {k: v.dtype for k, v in tensors.items()}
    model.load_state_dict({k: v.float() for k, v in state.items()}, strict=True)  # names and shapes must match
    return c, model, tensors, dtypes, meta


def probe_logits(model, ids, types):
    model.eval()
    with torch.no_grad():
        mlm, nsp = model(ids, types, torch.ones_like(ids))
    return mlm, nsp


def mlm_batch(c, gen, batch=4, seq=16, mask_id=None):
    """Random ids with 15% of positions to predict (80% [MASK], 10% random, 10% kept, BERT §3.1), labels -100 elsewhere."""
    v, t = c["vocab_size"], min(seq, c["max_position_embeddings"])
    ids = torch.randint(1, v, (batch, t), generator=gen)
    labels = torch.full_like(ids, -100)
    pick = torch.rand(batch, t, generator=gen) < 0.15
    pick[:, 1] |= ~pick.any(dim=1)  # at least one prediction per row
    labels[pick] = ids[pick]
    r = torch.rand(batch, t, generator=gen)
    ids[pick & (r < 0.8)] = mask_id if mask_id is not None else v - 1
    rnd = pick & (r >= 0.8) & (r < 0.9)
    ids[rnd] = torch.randint(1, v, (int(rnd.sum()),), generator=gen)
    types = torch.zeros_like(ids)
    types[:, t // 2:] = 1
    nsp = torch.randint(0, 2, (batch,), generator=gen)
    return ids, types, torch.ones_like(ids), labels, nsp


def mask_id_of(d):
    path = os.path.join(d, "vocab.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if line.rstrip("\n") == "[MASK]":
                    return i
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--out", help="where to write the trained checkpoint (default: back into DIR)")
    ap.add_argument("--steps", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--probe", default="1,7,3,2,9,3,2", help="comma-separated ids of the fixed input")
    ap.add_argument("--probe-types", help="its token types (default all 0)")
    ap.add_argument("--json", action="store_true", help="print one JSON object (before/after logits) instead of text")
    a = ap.parse_args()

    torch.manual_seed(a.seed)
    c, model, tensors, dtypes, meta = load(a.dir)
    ids = torch.tensor([[int(x) for x in a.probe.split(",")]])
    types = torch.tensor([[int(x) for x in a.probe_types.split(",")]]) if a.probe_types else torch.zeros_like(ids)
    before = probe_logits(model, ids, types)

    # AdamW as transformers' Trainer sets it up: no weight decay on biases and LayerNorm weights
    named = list(model.named_parameters())
    no_decay = lambda n: n.endswith(".bias") or "LayerNorm" in n
    opt = torch.optim.AdamW([{"params": [p for n, p in named if not no_decay(n)], "weight_decay": a.weight_decay},
                             {"params": [p for n, p in named if no_decay(n)], "weight_decay": 0.0}], lr=a.lr)
    gen = torch.Generator().manual_seed(a.seed)
    losses = []
    for _ in range(a.steps):
        model.train()
        b_ids, b_types, b_mask, labels, nsp_labels = mlm_batch(c, gen, mask_id=mask_id_of(a.dir))
        mlm, nsp = model(b_ids, b_types, b_mask)
        loss = F.cross_entropy(mlm.reshape(-1, c["vocab_size"]), labels.reshape(-1), ignore_index=-100)
        if nsp is not None:
            loss = loss + F.cross_entropy(nsp, nsp_labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    after = probe_logits(model, ids, types)

    # write back exactly the names that were read (tied aliases re-derived from their parameters), in their dtypes
    state = model.state_dict()
    alias = {"cls.predictions.decoder.weight": "bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.bias": "cls.predictions.bias"}
    out = {k: (tensors[k] if k in BUFFERS else state[alias.get(k, k)]).to(dtypes[k]) for k in tensors}
    out_dir = a.out or a.dir
    os.makedirs(out_dir, exist_ok=True)
    if out_dir != a.dir:
        for f in ("config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
            if os.path.exists(os.path.join(a.dir, f)):
                with open(os.path.join(a.dir, f), "rb") as src, open(os.path.join(out_dir, f), "wb") as dst:
                    dst.write(src.read())
    write_safetensors(os.path.join(out_dir, "model.safetensors"), out, {**meta, "format": "pt"})

    lists = lambda t: None if t is None else t[0].tolist()
    result = {"torch": torch.__version__, "steps": a.steps, "losses": losses, "probe": ids[0].tolist(),
              "before": {"mlm": lists(before[0]), "nsp": lists(before[1])},
              "after": {"mlm": lists(after[0]), "nsp": lists(after[1])}}
    if a.json:
        json.dump(result, sys.stdout)
        print()
    else:
        print(f"torch {torch.__version__}: {a.steps} AdamW step(s), loss {' → '.join(f'{x:.4f}' for x in losses)}; wrote {out_dir}/model.safetensors")
        for tag, (mlm, nsp) in (("before", before), ("after", after)):
            print(f"{tag}: MLM logits [T={mlm.shape[1]}, V={mlm.shape[2]}], position 0: {[round(x, 5) for x in mlm[0, 0, :6].tolist()]} ...")
            if nsp is not None:
                print(f"{tag}: NSP logits {[round(x, 5) for x in nsp[0].tolist()]}")


if __name__ == "__main__":
    main()
