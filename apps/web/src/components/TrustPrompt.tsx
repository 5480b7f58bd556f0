/** Asks before running someone else's code, as Colab and Pluto do. */
export function TrustPrompt({ onRun }: { readonly onRun: () => void }) {
  return (
    <section className="trust-prompt" aria-label="Run this notebook?">
      <div>
        <strong>This notebook's code has not run.</strong> It was written by someone else. It runs
        in a sandbox with no access to your account or your notebooks, but it uses your machine.
      </div>
      <button type="button" className="button primary" onClick={onRun}>
        ▶ Run this notebook
      </button>
    </section>
  );
}
