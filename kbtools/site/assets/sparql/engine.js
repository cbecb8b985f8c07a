/* The page's side of the SPARQL worker (worker.js): requests by id, answered by promises. */

/** One worker and its pending requests. */
export class Engine {
  constructor() {
    this.pending = new Map();
    this.next = 1;
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = (event) => {
      const { id, ok } = event.data;
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (!waiting) return;
      if (ok) waiting.resolve(event.data);
      else waiting.reject(Object.assign(new Error(event.data.error), { line: event.data.line, col: event.data.col }));
    };
    this.worker.onerror = (event) => this.fail(new Error(event.message || "le moteur SPARQL n’a pas démarré"));
  }

  call(message) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  fail(error) {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  stop() {
    this.worker.terminate();
    this.fail(new Error("requête interrompue"));
  }
}
