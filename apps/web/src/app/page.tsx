import Link from "next/link";
import { NewNotebookButton } from "@/components/NewNotebookButton";

const SAMPLE = `const model = new nn.Sequential(
  new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10));
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
for (const [xb, yb] of loader) {
  optimizer.zero_grad();
  const loss = lossFn(model(xb), yb);
  loss.backward();
  optimizer.step();
}`;

export default function HomePage() {
  return (
    <>
      <section className="hero">
        <h1>Learn deep learning by doing it.</h1>
        <p className="lead">
          Gradbook is a notebook and a course. Open a lesson, change a cell, and watch tensors,
          gradients and loss curves change live. The maths runs in your browser, with an API that
          reads like PyTorch, so what you learn carries over line by line.
        </p>
        <div className="hero-actions">
          <NewNotebookButton label="Start a new notebook" />
          <Link href="/course" className="button secondary">
            Open the course
          </Link>
        </div>
      </section>
      <pre className="code-cell hero-code">
        <code>{SAMPLE}</code>
      </pre>
      <section className="features" aria-label="What Gradbook is">
        <div>
          <h2>PyTorch's API</h2>
          <p>
            <code>nn.Linear</code>, <code>loss.backward()</code>, <code>optim.SGD</code>: the names,
            arguments and numbers of PyTorch, checked against PyTorch itself.
          </p>
        </div>
        <div>
          <h2>Reactive cells</h2>
          <p>
            Change a value and every cell that depends on it runs again, and nothing else. Plots
            update as a model trains.
          </p>
        </div>
        <div>
          <h2>Yours to share</h2>
          <p>
            Save notebooks, share a read-only link, and fork anything shared with you. Shared code
            runs in a sandbox with no access to your account.
          </p>
        </div>
      </section>
    </>
  );
}
