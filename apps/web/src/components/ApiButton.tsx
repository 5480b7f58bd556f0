"use client";

import { useApiAction } from "./useApiAction";

/**
 * A button that calls the API: it shows `busyLabel` (and is disabled) while the call runs, and
 * the failure's message beside it. `confirm` asks first; `navigates` as in useApiAction.
 */
export function ApiButton({
  label,
  busyLabel = label,
  className,
  confirm,
  navigates,
  action,
}: {
  readonly label: string;
  readonly busyLabel?: string;
  readonly className: string;
  readonly confirm?: string;
  readonly navigates?: boolean;
  readonly action: () => Promise<unknown>;
}) {
  const { busy, error, run } = useApiAction({ navigates });
  const onClick = () => {
    if (confirm === undefined || window.confirm(confirm)) void run(action);
  };
  return (
    <span className="action">
      <button type="button" className={className} onClick={onClick} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {error && (
        <span role="alert" className="error-text">
          {error}
        </span>
      )}
    </span>
  );
}
