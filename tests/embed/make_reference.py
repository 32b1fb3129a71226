#!/usr/bin/python3
"""Reference model and vectors for Smelter's in-process BERT encoder.

Builds a small random BERT in PyTorch (our own module: transformers is not
needed), writes it as a sentence-transformers model folder (config.json,
vocab.txt, tokenizer.json, tokenizer_config.json, model.safetensors written
by hand, modules.json, 1_Pooling/config.json), and writes reference.json: the
inputs, their token ids from a reference BERT tokenizer written here, and
their sentence embeddings (mean pooling, and [CLS] pooling as a second set),
L2-normalized. src/embed/transformer_embedder_test.cpp compares Smelter's
output with these.

The tokenizer follows Hugging Face `tokenizers` (BertNormalizer,
BertPreTokenizer, WordPiece), which is what sentence-transformers runs:
clean text, isolate CJK ideographs, strip accents (NFD, drop Mn), lower-case
code point by code point, split on whitespace and punctuation, greedy
longest-match WordPiece.

Usage:
  /usr/bin/python3 tests/embed/make_reference.py [--out DIR]
      the test model and reference.json (default: tests/embed/reference/)
  /usr/bin/python3 tests/embed/make_reference.py --bench-model DIR [--texts N]
      a random model shaped like all-MiniLM-L6-v2 (6 layers, hidden 384, 12
      heads, FFN 1536, vocab 30522, 512 positions) and DIR/bench_texts.txt,
      N texts (default 256) of 8 to ~128 tokens, one per line

Needs Debian's python3-torch and python3-numpy (run it with /usr/bin/python3).
"""

import argparse
import json
import math
import os
import random
import struct
import sys
import unicodedata

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# ---------------------------------------------------------------------------
# Tokenizer (reference implementation).

CJK_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def is_cjk(ch):
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in CJK_RANGES)


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_whitespace(ch):
    # White_Space, less the control characters that cleaning removed first.
    return ch in " \t\n\r" or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class Tokenizer:
    def __init__(self, vocab, lowercase=True, strip_accents=None, clean_text=True, split_cjk=True,
                 unk="[UNK]", cls="[CLS]", sep="[SEP]", prefix="##", max_chars=100):
        self.vocab = {}
        for i, token in enumerate(vocab):
            self.vocab[token] = i  # the last id wins, as in `tokenizers`
        self.lowercase = lowercase
        self.strip_accents = lowercase if strip_accents is None else strip_accents
        self.clean_text = clean_text
        self.split_cjk = split_cjk
        self.unk, self.cls, self.sep = self.vocab[unk], self.vocab[cls], self.vocab[sep]
        self.prefix = prefix
        self.max_chars = max_chars

    def basic_tokenize(self, text):
        chars = []
        for ch in text:
            if self.clean_text and (ord(ch) in (0, 0xFFFD) or is_control(ch)):
                continue
            if is_whitespace(ch):
                chars.append(" ")
            elif self.split_cjk and is_cjk(ch):
                chars.extend([" ", ch, " "])
            else:
                chars.append(ch)
        text = "".join(chars)
        if self.strip_accents:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if self.lowercase:
            # Code point by code point, as `tokenizers` does: no final sigma.
            text = "".join(c.lower() for c in text)
        words = []
        for word in text.split(" "):
            current = ""
            for ch in word:
                if is_punct(ch):
                    if current:
                        words.append(current)
                    words.append(ch)
                    current = ""
                else:
                    current += ch
            if current:
                words.append(current)
        return words

    def wordpiece(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        pieces = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                sub = word[start:end]
                if start > 0:
                    sub = self.prefix + sub
                if sub in self.vocab:
                    found = self.vocab[sub]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def tokenize(self, text):
        ids = []
        for word in self.basic_tokenize(text):
            ids.extend(self.wordpiece(word))
        return ids

    def encode(self, text, max_length):
        """[CLS] pieces [SEP], at most max_length ids; and whether it was cut."""
        pieces = self.tokenize(text)
        budget = max_length - 2
        return [self.cls] + pieces[:budget] + [self.sep], len(pieces) > budget


def load_tokenizer(folder):
    """The folder's tokenizer: vocab.txt and tokenizer_config.json."""
    with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    config = {}
    path = os.path.join(folder, "tokenizer_config.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    return Tokenizer(vocab, lowercase=config.get("do_lower_case", True),
                     strip_accents=config.get("strip_accents"),
                     split_cjk=config.get("tokenize_chinese_chars", True))

# ---------------------------------------------------------------------------
# Model.


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, i = c["hidden_size"], c["intermediate_size"]
        self.heads = c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attn_out = nn.Linear(h, h)
        self.attn_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.up = nn.Linear(h, i)
        self.down = nn.Linear(i, h)
        self.out_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])

    def forward(self, x, mask_bias):
        b, n, h = x.shape
        d = h // self.heads

        def split(t):
            return t.view(b, n, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + mask_bias
        ctx = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, h)
        a = self.attn_norm(x + self.attn_out(ctx))
        return self.out_norm(a + self.down(F.gelu(self.up(a))))  # exact (erf) GELU


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.word = nn.Embedding(c["vocab_size"], h)
        self.position = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type = nn.Embedding(c["type_vocab_size"], h)
        self.norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.layers = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, ids, mask):
        """ids, mask: [batch, length]; returns the last hidden states."""
        positions = torch.arange(ids.shape[1])
        x = self.norm(self.word(ids) + self.position(positions)[None] + self.token_type(torch.zeros_like(ids)))
        mask_bias = (1.0 - mask.to(x.dtype))[:, None, None, :] * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, mask_bias)
        return x

    # Hugging Face names <-> ours.
    def hf_names(self):
        names = {
            "embeddings.word_embeddings.weight": self.word.weight,
            "embeddings.position_embeddings.weight": self.position.weight,
            "embeddings.token_type_embeddings.weight": self.token_type.weight,
            "embeddings.LayerNorm.weight": self.norm.weight,
            "embeddings.LayerNorm.bias": self.norm.bias,
        }
        for i, layer in enumerate(self.layers):
            p = "encoder.layer.%d." % i
            for hf, mod in [("attention.self.query", layer.query), ("attention.self.key", layer.key),
                            ("attention.self.value", layer.value), ("attention.output.dense", layer.attn_out),
                            ("attention.output.LayerNorm", layer.attn_norm), ("intermediate.dense", layer.up),
                            ("output.dense", layer.down), ("output.LayerNorm", layer.out_norm)]:
                names[p + hf + ".weight"] = mod.weight
                names[p + hf + ".bias"] = mod.bias
        return names


def pool(hidden, mask, mode):
    if mode == "cls":
        v = hidden[:, 0]
    else:
        m = mask.to(hidden.dtype)[:, :, None]
        v = (hidden * m).sum(dim=1) / m.sum(dim=1)
    return F.normalize(v, p=2, dim=1)


def embed(model, batches_of_ids, mode="mean"):
    """Sentence embeddings of lists of token ids, padded batch by batch."""
    out = []
    with torch.inference_mode():
        for ids in batches_of_ids:
            length = max(len(x) for x in ids)
            t = torch.zeros(len(ids), length, dtype=torch.long)
            mask = torch.zeros(len(ids), length, dtype=torch.long)
            for i, x in enumerate(ids):
                t[i, :len(x)] = torch.tensor(x)
                mask[i, :len(x)] = 1
            out.append(pool(model(t, mask), mask, mode))
    return torch.cat(out)

# ---------------------------------------------------------------------------
# safetensors, by hand.


def write_safetensors(path, tensors):
    """tensors: name -> numpy array (float32 or int64), written little-endian."""
    dtypes = {np.dtype("float32"): ("F32", "<f4"), np.dtype("int64"): ("I64", "<i8")}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        code, le = dtypes[a.dtype]
        blob = a.astype(le).tobytes()
        header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)  # data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    kinds = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        out[name] = np.frombuffer(data[base + lo:base + hi], dtype=kinds[info["dtype"]]).reshape(info["shape"])
    return out


def load_model(folder):
    """A model folder written by write_model (or any BERT safetensors folder)."""
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    model = Bert(config).eval()
    tensors = read_safetensors(os.path.join(folder, "model.safetensors"))
    with torch.no_grad():
        for name, param in model.hf_names().items():
            t = tensors.get(name)
            if t is None:
                t = tensors["bert." + name]
            param.copy_(torch.from_numpy(np.array(t, dtype=np.float32)))
    return model, config

# ---------------------------------------------------------------------------
# Writing a model folder.


def random_model(config, seed, weight_std, embedding_std):
    torch.manual_seed(seed)
    model = Bert(config).eval()
    with torch.no_grad():
        for name, p in model.hf_names().items():
            if "LayerNorm.weight" in name:
                p.copy_(1.0 + 0.2 * torch.randn_like(p))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn_like(p))
            elif name.startswith("embeddings."):
                p.copy_(embedding_std * torch.randn_like(p))
            else:
                p.copy_(weight_std * torch.randn_like(p))
    return model


def write_model(folder, model, config, vocab, max_seq_length=None):
    os.makedirs(os.path.join(folder, "1_Pooling"), exist_ok=True)
    full = dict(config, architectures=["BertModel"], model_type="bert", hidden_act="gelu",
                position_embedding_type="absolute", hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(full, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": True, "strip_accents": None, "tokenize_chinese_chars": True,
                   "unk_token": "[UNK]", "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                   "mask_token": "[MASK]", "model_max_length": config["max_position_embeddings"],
                   "tokenizer_class": "BertTokenizer"}, f, indent=2)
        f.write("\n")
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    ids = {t: i for i, t in enumerate(vocab)}
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t in specials],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                           "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]}
                                              for t in ("[CLS]", "[SEP]")}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(folder, "modules.json"), "w") as f:
        json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                   {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                   {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
                  f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": config["hidden_size"], "pooling_mode_cls_token": False,
                   "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
                   "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)
        f.write("\n")
    if max_seq_length is not None:
        with open(os.path.join(folder, "sentence_bert_config.json"), "w") as f:
            json.dump({"max_seq_length": max_seq_length, "do_lower_case": False}, f, indent=2)
            f.write("\n")
    tensors = {name: p.detach().numpy().astype(np.float32) for name, p in model.hf_names().items()}
    # Older exports carry this buffer; the loader must skip it.
    tensors["embeddings.position_ids"] = np.arange(config["max_position_embeddings"], dtype=np.int64)[None]
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors)

# ---------------------------------------------------------------------------
# The test model and its reference vectors.

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
ASCII_PUNCT = [chr(c) for c in range(33, 127) if not chr(c).isalnum()]
TEST_WORDS = """the quick brown fox jumps over lazy dog hello world wait what yes no cafe muller naive
english mixed case text numbers and nd tabs new lines nul zw sp don t e mail qu full width emoji test
un believ istanbul stra 2024 3 14 42 ο ᄒ""".split()
TEST_PIECES = """##s ##ed ##ing ##able ##lines ##ieve ##able ##ß ##δ ##ο ##σ ##ς ##ᅡ ##ᆫ ##ᄀ ##1 ##59
##4""".split()
TEST_CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789") + list("中文字符混合é") + ["ß"]

TEST_INPUTS = [
    "Hello world",
    "Café Müller naïve",
    "中文字符 混合 English",
    "wait!!! what?!... (yes) -- no",
    " ".join(["the quick brown fox jumps over the lazy dog"] * 12),  # past 64 tokens: truncated
    "",
    "MiXeD CaSe TeXt",
    "Numbers: 2024, 3.14159 and 42nd",
    "İstanbul ΟΔΟΣ Straße",
    "tabs\tand\nnew\r\nlines\u0000nul\u200bzw\u00a0sp",
    "don't e-mail $100.00 ¿Qué?",
    "ｆｕｌｌ\u3000ｗｉｄｔｈ and emoji 😀",
    "한국어 text",
    "unbelievable testing tested",
    "a" * 120,  # longer than max_input_chars_per_word: [UNK]
    "   \t ",
]

TEST_CONFIG = {"vocab_size": 0, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
               "intermediate_size": 64, "max_position_embeddings": 64, "type_vocab_size": 2,
               "layer_norm_eps": 1e-12}


def test_vocab():
    vocab = list(SPECIALS)
    for token in ASCII_PUNCT + TEST_CHARS + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"] \
            + TEST_WORDS + TEST_PIECES:
        if token not in vocab:
            vocab.append(token)
    return vocab


def make_reference(out):
    vocab = test_vocab()
    config = dict(TEST_CONFIG, vocab_size=len(vocab) + 3)  # a few spare rows, as real models have
    model = random_model(config, seed=20261126, weight_std=0.3, embedding_std=1.0)
    write_model(out, model, config, vocab)
    tokenizer = load_tokenizer(out)
    max_length = config["max_position_embeddings"]
    encoded = [tokenizer.encode(text, max_length) for text in TEST_INPUTS]
    ids = [e[0] for e in encoded]
    # Padded batches of mixed lengths: the mask matters.
    batches = [ids[i:i + 5] for i in range(0, len(ids), 5)]
    mean = embed(model, batches, "mean")
    cls = embed(model, batches, "cls")
    reference = {
        "generator": "tests/embed/make_reference.py, torch " + torch.__version__,
        "max_length": max_length,
        "inputs": TEST_INPUTS,
        "token_ids": ids,
        "truncated": [e[1] for e in encoded],
        "embeddings": [[round(float(x), 8) for x in row] for row in mean.tolist()],
        "cls_embeddings": [[round(float(x), 8) for x in row] for row in cls.tolist()],
    }
    with open(os.path.join(out, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, indent=1)
        f.write("\n")

# ---------------------------------------------------------------------------
# The benchmark model (MiniLM-L6-shaped, random) and texts.

BENCH_CONFIG = {"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
                "intermediate_size": 1536, "max_position_embeddings": 512, "type_vocab_size": 2,
                "layer_norm_eps": 1e-12}


def bench_vocab(rng):
    """30522 entries laid out like BERT's: [PAD], [unused*], [UNK] at 100..."""
    vocab = ["[PAD]"] + ["[unused%d]" % i for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    seen = set(vocab)

    def add(token):
        if token not in seen and len(vocab) < BENCH_CONFIG["vocab_size"]:
            seen.add(token)
            vocab.append(token)

    for c in ASCII_PUNCT + list("0123456789abcdefghijklmnopqrstuvwxyz"):
        add(c)
    for c in "0123456789abcdefghijklmnopqrstuvwxyz":
        add("##" + c)
    onsets = ["", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr",
              "pl", "ch", "sh", "th", "gr", "br"]
    vowels = ["a", "e", "i", "o", "u", "ea", "ou", "ai"]
    codas = ["", "n", "r", "s", "t", "l", "m", "nd", "ng", "st", "ck"]
    syllables = [o + v + c for o in onsets for v in vowels for c in codas]
    for s in syllables:  # continuations first, so that unknown words still split
        add("##" + s)
    while len(vocab) < BENCH_CONFIG["vocab_size"]:
        add("".join(rng.choice(syllables) for _ in range(rng.choice([1, 1, 2, 2, 2, 3]))))
    return vocab


def bench_texts(tokenizer, words, count, rng):
    texts = []
    for i in range(count):
        target = 8 + (i * 7919) % 120  # 8..127 tokens, spread evenly
        parts, tokens = [], 0
        while True:
            r = rng.random()
            if r < 0.08:
                w = rng.choice([",", ".", "!", "?", ";", "(", ")", "-"])
            elif r < 0.12:
                w = str(rng.randrange(0, 10000))
            elif r < 0.2:
                w = rng.choice(words) + rng.choice(words)  # splits into word pieces
            else:
                w = rng.choice(words)
            w = w.capitalize() if rng.random() < 0.1 else w
            n = len(tokenizer.tokenize(w))
            if tokens + n + 2 > target and parts:
                break
            parts.append(w)
            tokens += n
        texts.append(" ".join(parts))
    return texts


def make_bench_model(out, count):
    rng = random.Random(1536)
    vocab = bench_vocab(rng)
    config = dict(BENCH_CONFIG)
    model = random_model(config, seed=384, weight_std=0.05, embedding_std=0.5)
    write_model(out, model, config, vocab, max_seq_length=512)
    tokenizer = load_tokenizer(out)
    words = [w for w in vocab[104:] if not w.startswith("##") and w.isalpha() and len(w) > 1]
    with open(os.path.join(out, "bench_texts.txt"), "w", encoding="utf-8") as f:
        for text in bench_texts(tokenizer, words, count, rng):
            f.write(text + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(here, "reference"))
    parser.add_argument("--bench-model", metavar="DIR")
    parser.add_argument("--texts", type=int, default=256)
    args = parser.parse_args()
    torch.set_num_threads(1)  # deterministic, and small work
    if args.bench_model:
        make_bench_model(args.bench_model, args.texts)
    else:
        os.makedirs(args.out, exist_ok=True)
        make_reference(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
