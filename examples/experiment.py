"""A training run: loss and accuracy curves, log messages, and a config summary.

    python examples/experiment.py [OUT.rrd]       (default: outputs/experiment.rrd)

Shows Scalars (one call per step, and in bulk with send_columns), TextLog with levels,
TextDocument (markdown), LineStrips2D for a decision boundary, a recording name, and a custom
recording property with AnyValues, on a sequence timeline `step` and a timestamp timeline.
"""

import sys

import numpy as np

import rerender as rr

STEPS = 300
CONFIG = {"learning_rate": 0.05, "batch_size": 64, "epochs": 3, "seed": 11}


def main(out: str) -> None:
    rr.init("rerender_example_experiment", recording_id="experiment")
    rr.save(out)
    rr.send_recording_name("logistic regression, lr=0.05")
    rr.send_property("config", rr.AnyValues(**CONFIG))
    summary = "\n".join(f"| `{k}` | {v} |" for k, v in CONFIG.items())
    rr.log(
        "config",
        rr.TextDocument(
            f"# Experiment\n\n| key | value |\n|---|---|\n{summary}\n", media_type=rr.MediaType.MARKDOWN
        ),
        static=True,
    )

    rng = np.random.default_rng(CONFIG["seed"])
    x = rng.normal(size=(512, 2))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(float)
    w = np.zeros(2)
    start = 1_700_000_000.0  # wall-clock seconds of the (pretend) run
    for step in range(STEPS):
        rr.set_time("step", sequence=step)
        rr.set_time("wall_clock", timestamp=start + step * 0.5)
        batch = rng.integers(0, len(x), CONFIG["batch_size"])
        p = 1 / (1 + np.exp(-x[batch] @ w))
        w -= CONFIG["learning_rate"] * x[batch].T @ (p - y[batch]) / len(batch)
        loss = -np.mean(y[batch] * np.log(p + 1e-9) + (1 - y[batch]) * np.log(1 - p + 1e-9))
        rr.log("metrics/loss", rr.Scalars(loss))
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
    main(sys.argv[1] if len(sys.argv) > 1 else "outputs/experiment.rrd")
