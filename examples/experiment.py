"""A training run: loss and accuracy curves, log messages, a config summary, and the model's
predictions as a surface of points that sharpens as it learns.

    python examples/experiment.py [OUT.rrd] [--lr LR] [--seed SEED]
        (defaults: outputs/experiment.rrd, learning rate 0.05, seed 11; pipelines/sweep.toml sweeps both)

Shows Scalars (one call per step, and in bulk with send_columns), TextLog with levels,
TextDocument (markdown), LineStrips2D for a decision boundary, Points3D for the predictions
(x, y, predicted probability), a recording name, and a custom recording property with AnyValues, on a
sequence timeline `step` and a timestamp timeline.
"""

import argparse
from pathlib import Path

import numpy as np

import rerender as rr

STEPS = 300
CONFIG = {"learning_rate": 0.05, "batch_size": 64, "epochs": 3, "seed": 11}


def main(out: str, learning_rate: float = CONFIG["learning_rate"], seed: int = CONFIG["seed"]) -> None:
    config = {**CONFIG, "learning_rate": learning_rate, "seed": seed}
    rr.init("rerender_example_experiment", recording_id="experiment")
    Path(out).parent.mkdir(parents=True, exist_ok=True)  # outputs/ on a fresh checkout
    rr.save(out)
    rr.send_recording_name(f"logistic regression, lr={learning_rate}")
    rr.send_property("config", rr.AnyValues(**config))
    summary = "\n".join(f"| `{k}` | {v} |" for k, v in config.items())
    rr.log(
        "config",
        rr.TextDocument(
            f"# Experiment\n\n| key | value |\n|---|---|\n{summary}\n", media_type=rr.MediaType.MARKDOWN
        ),
        static=True,
    )

    rng = np.random.default_rng(config["seed"])
    x = rng.normal(size=(512, 2))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(float)
    w = np.zeros(2)
    start = 1_700_000_000.0  # wall-clock seconds of the (pretend) run
    for step in range(STEPS):
        rr.set_time("step", sequence=step)
        rr.set_time("wall_clock", timestamp=start + step * 0.5)
        batch = rng.integers(0, len(x), config["batch_size"])
        p = 1 / (1 + np.exp(-x[batch] @ w))
        w -= config["learning_rate"] * x[batch].T @ (p - y[batch]) / len(batch)
        loss = -np.mean(y[batch] * np.log(p + 1e-9) + (1 - y[batch]) * np.log(1 - p + 1e-9))
        rr.log("metrics/loss", rr.Scalars(loss))
        if step % 10 == 0:
            # Every point at its predicted probability of class 1: a sigmoid surface over the data
            # plane that steepens as the model learns, coloured from blue (0) to orange (1).
            predicted = 1 / (1 + np.exp(-x @ w))
            blue, orange = np.array([40, 110, 230]), np.array([250, 150, 30])
            colors = (np.outer(1 - predicted, blue) + np.outer(predicted, orange)).astype(np.uint8)
            rr.log("predictions", rr.Points3D(np.column_stack([x, 2 * predicted]), colors=colors, radii=0.04))
        if step % 50 == 0:
            accuracy = np.mean(((x @ w) > 0) == y)
            rr.log("metrics/accuracy", rr.Scalars(accuracy))
            rr.log("log", rr.TextLog(f"step {step}: loss {loss:.3f}, accuracy {accuracy:.2%}", level="INFO"))
            # The decision boundary w . x = 0, as a line across the data.
            direction = np.array([-w[1], w[0]]) / (np.linalg.norm(w) + 1e-9)
            rr.log("boundary", rr.LineStrips2D([[-3 * direction, 3 * direction]], colors=[255, 200, 0]))
        if loss > 0.69 and step > 10:
            rr.log("log", rr.TextLog(f"step {step}: loss not improving", level=rr.TextLogLevel.WARN))

    # Gradient norms per step, sent as columns in one call (how to log bulk data fast).
    steps = np.arange(STEPS)
    grad_norm = np.exp(-steps / 80.0) + 0.01 * rng.random(STEPS)
    rr.send_columns(
        "metrics/grad_norm",
        indexes=[rr.TimeColumn("step", sequence=steps)],
        columns=rr.Scalars.columns(scalars=grad_norm),
    )
    rr.log("log", rr.TextLog("training finished", level=rr.TextLogLevel.INFO))
    rr.disconnect()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="outputs/experiment.rrd", help="the recording to write")
    parser.add_argument("--lr", type=float, default=CONFIG["learning_rate"], help="learning rate")
    parser.add_argument("--seed", type=int, default=CONFIG["seed"], help="seed of the data and batches")
    args = parser.parse_args()
    main(args.out, args.lr, args.seed)
