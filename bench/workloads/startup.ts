// Start-up: no work at all, so that the whole command's time is what each
// variant adds around a script (start, profile writing, the report).
const t0 = performance.now();
console.log(JSON.stringify({ workMs: performance.now() - t0 }));
