"""PyTorch CPU on one thread: the same matmuls and MLP step, printed as JSON for main.ts."""
import json
import statistics
import time

import torch

torch.set_num_threads(1)


def median_ms(fn, warmup=5, runs=15, min_ms=20.0):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        calls = 0
        t0 = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = (time.perf_counter() - t0) * 1000
            if elapsed >= min_ms:
                break
        samples.append(elapsed / calls)
    return statistics.median(samples)


def matmul():
    out = {}
    for n in (128, 256, 512, 1024):
        a = torch.rand(n, n) * 2 - 1
        b = torch.rand(n, n) * 2 - 1
        ms = median_ms(lambda: torch.mm(a, b), runs=7 if n >= 1024 else 15)
        out[n] = 2 * n**3 / (ms * 1e6)
    return out


def mlp_step():
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(64, 784) * 2 - 1
    y = torch.arange(64) % 10

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return median_ms(step, warmup=20, runs=25, min_ms=30.0)


print(json.dumps({"version": torch.__version__, "matmul": matmul(), "mlpStepMs": mlp_step()}))
