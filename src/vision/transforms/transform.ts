/**
 * @file What every transform is: a function you call on an image or tensor (`preprocess(img)`,
 * as the book calls torchvision's objects), carrying its settings and torchvision's repr.
 */

/** A callable transform from I to O; `toString()` prints torchvision's repr. */
export interface Transform<I, O> {
  (input: I): O;
  /** The torchvision class name: "Resize", "ToTensor", … */
  readonly className: string;
  toString(): string;
}

/** Makes `fn` a Transform with `props` attached and `repr` as its printed form. */
export function transform<F extends (input: any) => any, P extends object>(
  className: string,
  fn: F,
  props: P,
  repr: () => string,
): F & P & { readonly className: string } {
  const t = ((input: unknown) => fn(input)) as unknown as F & P & { readonly className: string };
  Object.assign(t, props);
  Object.defineProperty(t, "className", { value: className });
  Object.defineProperty(t, "name", { value: className });
  t.toString = repr;
  (t as any)[Symbol.for("nodejs.util.inspect.custom")] = repr;
  return t;
}

/** "an Image", "a Tensor"…: what a transform received, for its error message. */
export function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  const ctor = (x as object).constructor?.name;
  return ctor ? `a ${ctor}` : typeof x;
}
