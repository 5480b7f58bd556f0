/**
 * `view(input)`: shows an input (a slider, a select, ...) and gives its value as a generator
 * that yields the current value, then a new one on every input event, so the cells that read
 * the bound name re-run as the input moves (as `Generators.input` does in Observable).
 */

type InputElement = Element & { value?: unknown };

export function inputValue(input: InputElement): unknown {
  if (input instanceof HTMLInputElement) {
    switch (input.type) {
      case "range":
      case "number":
        return input.valueAsNumber;
      case "date":
        return input.valueAsDate;
      case "checkbox":
        return input.checked;
      case "file":
        return input.multiple ? input.files : input.files?.[0];
    }
  }
  if (input instanceof HTMLSelectElement && input.multiple) {
    return Array.from(input.selectedOptions, (option) => option.value);
  }
  return input.value;
}

function eventOf(input: Element): string {
  if (!(input instanceof HTMLInputElement)) return "input";
  switch (input.type) {
    case "button":
    case "submit":
    case "checkbox":
      return "click";
    case "file":
      return "change";
    default:
      return "input";
  }
}

/** What `view()` returns: an async iterator the runtime pulls from, and stops with `return()`. */
export interface InputValues extends AsyncIterator<unknown, undefined> {
  return(): Promise<IteratorResult<unknown, undefined>>;
  [Symbol.asyncIterator](): InputValues;
}

/**
 * The input's values. Written as a plain async iterator rather than an async generator
 * function so that `return()` (called by the runtime when the cell re-runs) takes effect even
 * while waiting for the next event, and removes the listener at once.
 */
export function inputValues(input: InputElement): InputValues {
  let fresh = true;
  let done = false;
  let waiting: ((result: IteratorResult<unknown, undefined>) => void) | null = null;
  const type = eventOf(input);
  const onEvent = () => {
    if (!waiting) {
      fresh = true;
      return;
    }
    const resolve = waiting;
    waiting = null;
    resolve({ done: false, value: inputValue(input) });
  };
  input.addEventListener(type, onEvent);
  const finish = async (): Promise<IteratorResult<unknown, undefined>> => {
    done = true;
    input.removeEventListener(type, onEvent);
    waiting?.({ done: true, value: undefined });
    waiting = null;
    return { done: true, value: undefined };
  };
  const iterator: InputValues = {
    next() {
      if (done) return Promise.resolve({ done: true, value: undefined });
      if (fresh) {
        fresh = false;
        return Promise.resolve({ done: false, value: inputValue(input) });
      }
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
