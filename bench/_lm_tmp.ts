import { Interpreter } from "../src/kernel/interpreter";
(async () => {
  const it = new Interpreter("/work/wt-stop/.cache");
  const code = 'let n = 0;\nfor (let i = 0; i < 3; i++)\n  n++;\nwhile (n > 0) {\n  n--;\n  if (n === 1) throw new RangeError("in a loop");\n}';
  const r = await it.execute(code);
  console.log(JSON.stringify(r));
  const code2 = 'function f(xs: number[]) {\n  for (const x of xs) { if (x > 1) throw new Error("big " + x); }\n}\nf([1, 2]);';
  console.log(JSON.stringify(await it.execute(code2)));
  it.close();
})();
