#!/usr/bin/python3
"""Encoder throughput of PyTorch (fp32, eager) on the same model and texts as
bench/encoder_bench.cpp.

The model is the BERT module of tests/embed/make_reference.py (imported, so
that both sides run the same math), loaded from the model folder's
safetensors. Texts are tokenized with that script's reference tokenizer
(same ids as Smelter's), sorted by length and cut into batches of 32 the way
sentence-transformers' encode() does, padded per batch with an attention
mask. Only the forward passes, pooling and normalization are timed:
tokenizing and building the tensors happen once, untimed (Smelter's timing
includes its tokenizer). One untimed warm-up, then the median of REPEATS.
Prints "key=value" lines: texts, tokens, seconds, tokens_per_s, peak_rss_mb.

  /usr/bin/python3 bench/encoder_bench_torch.py MODEL_DIR THREADS TEXTS_FILE [REPEATS] [VECTORS_OUT]
"""

import json
import os
import resource
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "embed"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import make_reference as ref  # noqa: E402

BATCH = 32


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    folder, threads, texts_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    torch.set_num_threads(threads)
    model, config = ref.load_model(folder)
    tokenizer = ref.load_tokenizer(folder)
    max_length = config["max_position_embeddings"]
    st_config = os.path.join(folder, "sentence_bert_config.json")
    if os.path.exists(st_config):
        with open(st_config) as f:
            max_length = min(max_length, json.load(f).get("max_seq_length", max_length))

    with open(texts_path, encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    ids = [tokenizer.encode(t, max_length)[0] for t in texts]
    tokens = sum(len(x) for x in ids)
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    batches = []
    for start in range(0, len(order), BATCH):
        chunk = [ids[i] for i in order[start:start + BATCH]]
        length = max(len(x) for x in chunk)
        t = torch.zeros(len(chunk), length, dtype=torch.long)
        mask = torch.zeros(len(chunk), length, dtype=torch.long)
        for i, x in enumerate(chunk):
            t[i, :len(x)] = torch.tensor(x)
            mask[i, :len(x)] = 1
        batches.append((t, mask))

    def run():
        with torch.inference_mode():
            return torch.cat([ref.pool(model(t, mask), mask, "mean") for t, mask in batches])

    vectors = run()  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        vectors = run()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)

    if len(sys.argv) > 5:
        unsorted = np.empty((len(texts), vectors.shape[1]), dtype="<f4")
        unsorted[order] = vectors.numpy()
        unsorted.tofile(sys.argv[5])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("texts=%d\ntokens=%d\nseconds=%.4f\ntokens_per_s=%.1f\npeak_rss_mb=%.1f\ntorch=%s"
          % (len(texts), tokens, median, tokens / median, peak_mb, torch.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
