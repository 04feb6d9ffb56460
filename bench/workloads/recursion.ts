// Call-heavy work: naive recursion and a deep recursive walk. Prints its own elapsed milliseconds.
import process from "node:process";
const scale = Number(process.argv[2] ?? 30);

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

interface Node { value: number; next: Node | undefined }

function sumList(node: Node | undefined): number {
  return node === undefined ? 0 : node.value + sumList(node.next);
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
let acc = 0;
for (let i = 0; i < scale; i++) acc += fib(27);
let list: Node | undefined;
for (let i = 0; i < 2000; i++) list = { value: i, next: list };
for (let i = 0; i < 300 * scale; i++) acc += sumList(list);
const { user, system } = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpuMs: (user + system) / 1000, workMs: performance.now() - t0, acc }));
