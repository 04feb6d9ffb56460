/**
 * A small program with CPU work, a library call, recursion and an await:
 * the demo for `tsprof examples/demo.ts`.
 */
interface Point {
  x: number;
  y: number;
}

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function makePoints(count: number): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < count; i++) points.push({ x: Math.sin(i), y: Math.cos(i) });
  return points;
}

function serialize(points: Point[]): number {
  let bytes = 0;
  for (let i = 0; i < 20; i++) bytes += JSON.stringify(points).length;
  return bytes;
}

function sortPoints(points: Point[]): Point[] {
  return points.slice().sort((a, b) => a.x * a.y - b.x * b.y);
}

async function main(): Promise<void> {
  const points = makePoints(200_000);
  console.log("serialized", serialize(points), "bytes");
  console.log("sorted", sortPoints(points).length, "points");
  await new Promise((resolve) => setTimeout(resolve, 150));
  console.log("fib(27) =", fib(27));
}

await main();
