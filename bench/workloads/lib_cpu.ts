// CPU-bound work in real library code: the TypeScript compiler transpiling
// a source file again and again. Prints its own elapsed milliseconds.
import ts from "typescript";
import process from "node:process";

const iterations = Number(process.argv[2] ?? 40);
const source = `
interface Shape { area(): number }
export class Circle implements Shape { constructor(private r: number) {} area() { return Math.PI * this.r ** 2 } }
export enum Color { Red, Green, Blue }
export function total<T extends Shape>(shapes: readonly T[]): number { return shapes.reduce((s, x) => s + x.area(), 0) }
${Array.from({ length: 60 }, (_, i) => `export const f${i} = (a: number, b: string): string => b.repeat(a % 3) + ${i};`).join("\n")}
`;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let size = 0;
for (let i = 0; i < iterations; i++) {
  size += ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2015, module: ts.ModuleKind.ESNext } }).outputText.length;
}
const { user, system } = process.cpuUsage(cpu0);
console.log(JSON.stringify({ cpuMs: (user + system) / 1000, workMs: performance.now() - t0, size }));
