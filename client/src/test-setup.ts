// jsdom has no layout engine: a ResizeObserver that never reports is enough for bind:clientWidth.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
